"""Who may do what to a goal determination: the one place each workflow rule is decided.

The services enforce these decisions, and the pages ask the same functions what to offer
(which buttons show, what the review queue marks), so a page never offers what the server
refuses, and never refuses what it offers:

    can_edit(user, determination)             analyst, not while it waits for review
    can_submit(user, determination)           analyst, drafts only
    can_approve(user, determination)          reviewer, submitted, not their own work
    can_approve_each(user, determinations)    the same for a page of goals
    can_request_changes(user, determination)  reviewer, submitted
    can_withdraw(user, determination)         the analyst who submitted it, before review
    can_edit_texts(user, assessment)          analyst, not while the texts wait for review
    can_submit_texts(user, assessment)        analyst, draft texts only
    can_approve_texts(user, assessment)       reviewer, submitted, not their own texts
    can_request_texts_changes(user, assessment)  reviewer, submitted
    can_assign(user)                          publisher or admin: who works which goals
    can_discuss(user)                         whoever may see the goal: read and post threads

Each returns a `Decision`: truthy when allowed, and otherwise the reason in words a user
can act on. `forbidden` marks a missing role (403 Forbidden) as opposed to a state of the
goal that refuses the action now (the page explains it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.roles import Role, has_role, has_staff_role

from .models import Assessment, GoalDetermination, ReviewEvent, ReviewState, TextsReviewEvent


class WorkflowError(Exception):
    """A request the rules refuse; the message is shown to the user as is."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    forbidden: bool = False  # refused for the user's role, whatever the goal's state

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self) -> None:
        """Raise what the refusal means: PermissionDenied for a role, else WorkflowError."""
        if self.allowed:
            return
        if self.forbidden:
            raise PermissionDenied(self.reason)
        raise WorkflowError(self.reason)


ALLOWED = Decision(True)


def _role(user, role: Role, action: str) -> Decision:
    if has_role(user, role):
        return ALLOWED
    name = role.value.lower()
    article = "an" if name[0] in "aeiou" else "a"
    return Decision(False, f"Only {article} {name} can {action}.", forbidden=True)


class _Subject:
    """What a rule speaks about, a goal or an assessment's state texts, in the words its
    refusals use: both go through the same draft → submitted → approved workflow. Names
    are read only when a refusal is worded (a page of goals asks without loading them)."""

    kind: str  # "determinations", "state texts": what a role may edit or approve
    be: str  # "is", "are"
    they: str  # "it", "they"
    them: str  # "it", "them"
    state: str  # a ReviewState value
    state_label: str  # that state as a user reads it
    name: str  # "Goal 3", "The state texts"
    edited: str  # "goal 3", "these state texts": what "You edited …" names


def can_assign(user) -> Decision:
    """Publishers and admins assign jurisdictions and goals to analysts and reviewers."""
    if has_role(user, Role.PUBLISHER, Role.ADMIN):
        return ALLOWED
    return Decision(False, "Only a publisher or an admin can assign work.", forbidden=True)


def can_discuss(user) -> Decision:
    """Whoever may see a goal (or the state texts) reads and posts its discussion threads:
    the goal page's own rule, any role (accounts.middleware refuses users without one)."""
    if has_staff_role(user):
        return ALLOWED
    return Decision(False, "Only a signed-in user with a role can discuss goals.", forbidden=True)


class _Goal(_Subject):
    kind, be, they, them = "determinations", "is", "it", "it"

    def __init__(self, determination: GoalDetermination):
        self.determination = determination
        self.state = determination.review_state
        self.state_label = determination.get_review_state_display().lower()

    @property
    def name(self) -> str:
        return f"Goal {self.determination.goal.number}"

    @property
    def edited(self) -> str:
        return f"goal {self.determination.goal.number}"


class _Texts(_Subject):
    kind, be, they, them = "state texts", "are", "they", "them"
    name, edited = "The state texts", "these state texts"

    def __init__(self, assessment: Assessment):
        self.state = assessment.texts_state
        self.state_label = assessment.get_texts_state_display().lower()


def _edit(user, subject: _Subject) -> Decision:
    role = _role(user, Role.ANALYST, f"edit {subject.kind}")
    if not role:
        return role
    if subject.state == ReviewState.SUBMITTED:
        return Decision(
            False,
            f"{subject.name} {subject.be} waiting for review, so {subject.they} cannot be "
            f"edited. A reviewer can send {subject.them} back with “request changes”.",
        )
    return ALLOWED


def _submit(user, subject: _Subject) -> Decision:
    role = _role(user, Role.ANALYST, f"submit {subject.kind}")
    if not role:
        return role
    if subject.state != ReviewState.DRAFT:
        return Decision(
            False,
            f"{subject.name} {subject.be} {subject.state_label}; only drafts can be submitted.",
        )
    return ALLOWED


def _in_review(subject: _Subject) -> Decision:
    if subject.state == ReviewState.SUBMITTED:
        return ALLOWED
    return Decision(
        False,
        f"{subject.name} {subject.be} not waiting for review "
        f"({subject.they} {subject.be} {subject.state_label}).",
    )


def _approval(user, subject: _Subject, editors: Callable[[], set[int]]) -> Decision:
    """Four-eyes: `editors` (asked only for a submitted subject) must not include the user."""
    in_review = _in_review(subject)
    if not in_review:
        return in_review
    if user.pk in editors():
        return Decision(
            False,
            f"You edited {subject.edited}, so another reviewer must approve {subject.them} "
            "(four-eyes rule).",
        )
    return ALLOWED


def _request_changes(user, subject: _Subject) -> Decision:
    return _role(user, Role.REVIEWER, "request changes") and _in_review(subject)


def _applied(rule, *, to):
    """The rule `rule(user, subject)` as a check of a determination or an assessment."""

    def check(user, instance) -> Decision:
        return rule(user, to(instance))

    return check


# The rules above, for a goal and for an assessment's state texts.
can_edit = _applied(_edit, to=_Goal)
can_submit = _applied(_submit, to=_Goal)
can_request_changes = _applied(_request_changes, to=_Goal)
can_edit_texts = _applied(_edit, to=_Texts)
can_submit_texts = _applied(_submit, to=_Texts)
can_request_texts_changes = _applied(_request_changes, to=_Texts)


def can_withdraw(user, determination: GoalDetermination) -> Decision:
    """The analyst who submitted a goal takes the submission back while it still waits for
    review (a reviewer's decision is not undone this way)."""
    role = _role(user, Role.ANALYST, "withdraw a submission")
    if not role:
        return role
    goal = _Goal(determination)
    if goal.state != ReviewState.SUBMITTED:
        return Decision(
            False,
            f"{goal.name} is {goal.state_label}; only a submission waiting for review can be "
            "withdrawn.",
        )
    submitter = _newest(
        ReviewEvent.objects.filter(
            determination_id=determination.pk, action=ReviewEvent.Action.SUBMIT
        ),
        "actor_id",
    )
    if submitter != user.pk:
        return Decision(False, f"Only the analyst who submitted {goal.edited} can withdraw it.")
    return ALLOWED


def can_approve(user, determination: GoalDetermination) -> Decision:
    """A reviewer approves a submitted goal unless they wrote a version of it since its
    last approval (four-eyes)."""
    return can_approve_each(user, [determination])[determination.pk]


def can_approve_each(user, determinations) -> dict[int, Decision]:
    """`can_approve` for many goals at once (a page of the review queue), in a fixed
    number of queries; by determination id."""
    determinations = list(determinations)
    role = _role(user, Role.REVIEWER, "approve determinations")
    if not role:
        return dict.fromkeys((d.pk for d in determinations), role)
    editors = editors_since_last_approval_of(determinations)
    return {d.pk: _approval(user, _Goal(d), lambda d=d: editors[d.pk]) for d in determinations}


def can_approve_texts(user, assessment: Assessment) -> Decision:
    """A reviewer approves submitted texts unless they wrote a version of them since their
    last approval (four-eyes)."""
    role = _role(user, Role.REVIEWER, "approve state texts")
    if not role:
        return role
    return _approval(
        user, _Texts(assessment), lambda: texts_editors_since_last_approval(assessment)
    )


def _newest(events, field: str):
    """`field` of the newest of `events` (review events); None when there is none."""
    return events.order_by("-created_at", "-id").values_list(field, flat=True).first()


def texts_editors_since_last_approval(assessment: Assessment) -> set[int]:
    """Users who authored a texts version since the texts' last approval: every edit
    raises the assessment's version, and the first history row of each version names its
    author."""
    approved = _newest(
        TextsReviewEvent.objects.filter(
            assessment_id=assessment.pk, action=ReviewEvent.Action.APPROVE
        ),
        "version",
    )
    if approved is None and assessment.texts_approved_id:
        approved = assessment.texts_approved.version
    authors: dict[int, int | None] = {}
    for version, user_id in (
        Assessment.history.filter(id=assessment.pk, version__gt=approved or 0)
        .order_by("history_date", "history_id")
        .values_list("version", "history_user_id")
    ):
        authors.setdefault(version, user_id)
    editors = {user_id for user_id in authors.values() if user_id}
    if assessment.texts_edited_by_id:
        editors.add(assessment.texts_edited_by_id)
    return editors


def editors_since_last_approval(determination: GoalDetermination) -> set[int]:
    """Users who authored a version since the last approval (the four-eyes rule)."""
    return editors_since_last_approval_of([determination])[determination.pk]


def editors_since_last_approval_of(determinations) -> dict[int, set[int]]:
    """Per determination id, the users who authored a version since its last approval
    (one query however many determinations).

    Every edit raises `version`; submitting, approving and requesting changes do not, so
    the user who first wrote each newer version is its author, and a reviewer who only
    requested changes stays free to approve the fix.
    """
    determinations = list(determinations)
    if not determinations:
        return {}
    last_approved_version = (
        ReviewEvent.objects.filter(
            determination_id=OuterRef("id"), action=ReviewEvent.Action.APPROVE
        )
        .order_by("-created_at", "-id")
        .values("version")[:1]
    )
    authors: dict[tuple[int, int], int | None] = {}
    for determination_id, version, user_id in (
        GoalDetermination.history.filter(
            id__in=[d.pk for d in determinations],
            version__gt=Coalesce(Subquery(last_approved_version), 0),
        )
        .order_by("history_date", "history_id")
        .values_list("id", "version", "history_user_id")
    ):
        authors.setdefault((determination_id, version), user_id)
    editors: dict[int, set[int]] = {d.pk: set() for d in determinations}
    for (determination_id, _), user_id in authors.items():
        if user_id:
            editors[determination_id].add(user_id)
    for determination in determinations:
        if determination.last_edited_by_id:
            editors[determination.pk].add(determination.last_edited_by_id)
    return editors
