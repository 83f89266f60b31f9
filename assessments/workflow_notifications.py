"""Who is told what when a goal or the state texts move through review, and when a report
card is published (the in-app bell and e-mail of assessments/notifications.py).

    submitted          → the assigned reviewer (no assignment: nobody; the review queue
                         lists it for every reviewer)
    changes requested  → the owner: the assigned analyst, else whoever saved the version
    approved           → the owner
    published          → the analysts and reviewers assigned to the jurisdiction

Nobody is told of their own step. Each notification's key names the review event (or the
published version), so it is made once however often a task or transaction is retried.
Called inside the step's transaction: a step rolled back leaves no notification, and the
e-mail is queued only after the commit.
"""

from __future__ import annotations

from django.urls import reverse

from .models import Assessment, Assignment, Notification, ReviewEventBase
from .notifications import notify

Action = ReviewEventBase.Action


def _assignments(assessment: Assessment):
    """Every assignment of the assessment's jurisdiction in its cycle, with its people."""
    return Assignment.objects.filter(
        cycle_id=assessment.cycle_id, jurisdiction_id=assessment.jurisdiction_id
    ).select_related("analyst", "reviewer")


def assignment_of(assessment: Assessment, determination=None) -> Assignment | None:
    """The goal's own assignment, else its jurisdiction's; None when unassigned."""
    assignments = _assignments(assessment)
    if determination is not None:
        own = assignments.filter(goal_id=determination.goal_id).first()
        if own is not None:
            return own
    return assignments.filter(goal__isnull=True).first()


def owner_of(assessment: Assessment, determination=None):
    """Whose goal (or state texts) it is: the assigned analyst, else who saved the
    current version; None when neither is known."""
    assignment = assignment_of(assessment, determination)
    if assignment is not None:
        return assignment.analyst
    if determination is not None:
        return determination.last_edited_by
    return assessment.texts_edited_by


def _place(assessment: Assessment) -> str:
    return f"{assessment.jurisdiction.name} ({assessment.cycle.year})"


def subject_name(assessment: Assessment, determination=None) -> str:
    place = _place(assessment)
    if determination is not None:
        return f"Goal {determination.goal.number} of {place}"
    return f"The state texts of {place}"


def subject_link(assessment: Assessment, determination=None) -> str:
    code, year = assessment.jurisdiction.code, assessment.cycle.year
    if determination is not None:
        return reverse("assessments:determination", args=[code, year, determination.goal.number])
    return reverse("assessments:texts", args=[code, year])


def _recipient(event, assessment, determination):
    if event.action == Action.SUBMIT:
        assignment = assignment_of(assessment, determination)
        return assignment.reviewer if assignment else None
    if event.action in (Action.REQUEST_CHANGES, Action.APPROVE):
        return owner_of(assessment, determination)
    return None


KINDS = {
    Action.SUBMIT: Notification.Kind.SUBMITTED,
    Action.REQUEST_CHANGES: Notification.Kind.CHANGES_REQUESTED,
    Action.APPROVE: Notification.Kind.APPROVED,
}


def _message(event, name: str) -> str:
    actor = event.actor.get_username()
    if event.action == Action.SUBMIT:
        return f"{actor} submitted {name}, version {event.version}, for your review."
    if event.action == Action.REQUEST_CHANGES:
        return f"{actor} requested changes to {name} (version {event.version}): {event.comment}"
    return f"{actor} approved {name}, version {event.version}."


def review_event_notify(event, *, assessment: Assessment, determination=None) -> None:
    """Tell whoever a review step concerns (see the table above)."""
    if event.action not in KINDS:
        return
    user = _recipient(event, assessment, determination)
    if user is None or user.pk == event.actor_id or not user.is_active:
        return
    subject = "goal" if determination is not None else "texts"
    notify(
        user=user,
        kind=KINDS[event.action],
        key=f"review:{subject}:{event.pk}",
        message=_message(event, subject_name(assessment, determination)),
        link=subject_link(assessment, determination),
    )


def published_notify(card) -> None:
    """Tell the jurisdiction's assigned analysts and reviewers that a version of its report
    card was published (not the publisher)."""
    assessment = card.assessment
    people = {
        person.pk: person for a in _assignments(assessment) for person in (a.analyst, a.reviewer)
    }
    people.pop(card.published_by_id, None)
    message = f"Version {card.version} of the report card of {_place(assessment)} was published."
    link = reverse("report_card", args=[assessment.jurisdiction.code, assessment.cycle.year])
    key = f"published:{card.pk}"
    for person in people.values():
        if person.is_active:
            notify(
                user=person, kind=Notification.Kind.PUBLISHED, key=key, message=message, link=link
            )
