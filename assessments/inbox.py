"""What lands in an analyst's and a reviewer's "My work" inbox (reads only).

Goals of open cycles, by their assignment (assessments/assignments.py `with_assignees`):

- analyst: my drafts, and the drafts a reviewer sent back to me (the request's comment
  read in the same query), overdue first, then by due date;
- reviewer: submitted goals assigned to me, then the other submitted goals, oldest
  submission first. Whether I may approve one is `permissions.can_approve_each`'s answer.

Each list is a query a page is sliced from, so a page costs the same few queries however
many jurisdictions and goals a cycle has.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)

from . import permissions
from .assignments import assigned_assessments, with_assignees
from .models import Cycle, GoalDetermination, ReviewEvent, ReviewState

RELATED = ("assessment__jurisdiction", "assessment__cycle", "goal")


def _latest_event(field: str):
    return Subquery(
        ReviewEvent.objects.filter(determination_id=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values(field)[:1]
    )


def _assigned(user=None, role: str = "", *, only=("analyst_id", "reviewer_id", "due")):
    """Every determination of an open cycle (of the assessments where `user` is assigned
    as `role`, when given), with its assignment (`only` those fields of it)."""
    goals = GoalDetermination.objects.filter(assessment__cycle__state=Cycle.State.OPEN)
    if user is not None:
        goals = goals.filter(assessment_id__in=assigned_assessments(user, role))
    return with_assignees(goals, only=only)


def _open_goals(user=None, role: str = ""):
    """The same, with the last review event of each (action, comment, who)."""
    return _assigned(user, role).annotate(
        last_action=_latest_event("action"),
        last_comment=_latest_event("comment"),
        last_actor=_latest_event("actor__username"),
    )


_SENT_BACK = Q(last_action=ReviewEvent.Action.REQUEST_CHANGES)
_MY_DRAFT = Q(review_state=ReviewState.DRAFT)


def _analyst_order(queryset, today: datetime.date):
    return queryset.annotate(
        overdue=ExpressionWrapper(Q(assigned_due__lt=today), BooleanField())
    ).order_by(
        "-overdue",
        "assigned_due",
        "assessment__jurisdiction__name",
        "goal__ordering",
        "pk",
    )


def analyst_changes_requested(user, *, today: datetime.date):
    """Drafts assigned to `user` that a reviewer sent back, with `last_comment`."""
    mine = _open_goals(user, "analyst").filter(_MY_DRAFT & _SENT_BACK, assigned_analyst_id=user.pk)
    return _analyst_order(mine.select_related(*RELATED), today)


def analyst_drafts(user, *, today: datetime.date):
    """The other drafts assigned to `user` (never submitted, or reopened)."""
    mine = (
        _open_goals(user, "analyst")
        .filter(_MY_DRAFT, assigned_analyst_id=user.pk)
        .exclude(_SENT_BACK & Q(last_action__isnull=False))
    )
    return _analyst_order(mine.select_related(*RELATED), today)


def _submitted(user=None):
    return (
        _open_goals(user, "reviewer")
        .filter(review_state=ReviewState.SUBMITTED)
        .select_related(*RELATED)
        .order_by("updated_at", "pk")
    )


def reviewer_assigned(user):
    """Submitted goals whose assignment names `user` as reviewer, oldest first."""
    return _submitted(user).filter(assigned_reviewer_id=user.pk)


def reviewer_others(user):
    """Every other submitted goal (assigned to someone else, or to nobody), oldest first."""
    return _submitted().filter(
        Q(assigned_reviewer_id__isnull=True) | ~Q(assigned_reviewer_id=user.pk)
    )


# How many submitted goals of each list "approve and next" weighs: enough to skip a
# reviewer's own work (four-eyes), without reading every submission of the country.
NEXT_LOOKAHEAD = 50


def next_to_review(user):
    """The goal "approve and next" lands on: the first submitted goal `user` may approve
    (`permissions.can_approve_each`), of those assigned to them, then of the others,
    oldest submission first; None when nothing waits for them."""
    for waiting in (reviewer_assigned(user), reviewer_others(user)):
        candidates = list(waiting[:NEXT_LOOKAHEAD])
        decisions = permissions.can_approve_each(user, candidates)
        for determination in candidates:
            if decisions[determination.pk]:
                return determination
    return None


def analyst_waiting(user):
    """For the navigation bar: the drafts assigned to `user` (sent back or not)."""
    mine = _assigned(user, "analyst", only=["analyst_id"])
    return mine.filter(_MY_DRAFT, assigned_analyst_id=user.pk)


def reviewer_waiting(user):
    """For the navigation bar: the submitted goals assigned to `user` to review."""
    mine = _assigned(user, "reviewer", only=["reviewer_id"])
    return mine.filter(review_state=ReviewState.SUBMITTED, assigned_reviewer_id=user.pk)
