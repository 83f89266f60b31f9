"""The review workflow of DESIGN.md §5: every write that matters, with its rules.

    draft --submit--> submitted --approve--> approved
      ^                  |                      |
      +--request changes-+                      +--edit (needs change reason)--> draft

Each service is keyword-only, runs in one transaction, checks the acting user's role
(views check it too; this is the line that cannot be skipped) and refuses a save based
on a version that someone else has changed meanwhile (core.conflicts: EditConflict).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q

from accounts.roles import Role, has_role
from core.conflicts import check_version, lock_for_edit
from core.limits import TEXT_MAX_CHARS, TypedText
from core.retry import retry_once
from statutes.models import Statute

from . import permissions, scoring
from .approvals import approval_with_current_wording, approvals_record
from .models import (
    Assessment,
    Citation,
    Cycle,
    ExtraCreditAward,
    ExtraCreditCategory,
    ExtraCreditOpportunity,
    GoalDetermination,
    Insight,
    Recommendation,
    ReviewEvent,
    ReviewState,
    TextsReviewEvent,
)
from .permissions import Decision, WorkflowError, editors_since_last_approval
from .placeholders import placeholder_problems
from .recompute import cycle_mark_stale
from .references import determination_reference_problems
from .texts import texts_approval_record
from .workflow_notifications import review_event_notify

__all__ = ["WorkflowError", "editors_since_last_approval"]  # where callers have found them


@dataclass
class CitationData:
    pinpoint: str = ""
    quote: str = ""
    statute_id: int | None = None
    # A statute that is not in the library yet: created with the citation.
    new_citation: str = ""
    new_caption: str = ""
    new_text: str = ""
    id: int | None = None


@dataclass
class InsightData:
    quote: str
    attribution: str = ""
    id: int | None = None


@dataclass
class AwardData:
    category_id: int
    points: Decimal
    explanation: str = ""
    id: int | None = None


@dataclass
class DeterminationData:
    status: str
    points: Decimal | None
    narrative: str = ""
    marked_title: str = ""
    citations: list[CitationData] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    insights: list[InsightData] = field(default_factory=list)
    extra_credit: list[AwardData] = field(default_factory=list)


def _locked(determination_id: int) -> GoalDetermination:
    return lock_for_edit(
        GoalDetermination.objects.select_related(
            "goal", "assessment__cycle", "assessment__jurisdiction", "last_edited_by"
        ),
        determination_id,
    )


def _enforce(decision: Decision, obj, expected_version: int, *, label: str, editor) -> None:
    """A missing role first, then a stale version, then what the rules say of the state
    (a conflict is reported before a state the other save may have caused)."""
    if decision.forbidden:
        decision.enforce()
    name = editor.get_username() if editor else ""
    check_version(obj, expected_version, label=label, editor=name)
    decision.enforce()


def _checked_goal(rule, determination_id: int, user, expected_version: int) -> GoalDetermination:
    """The goal, locked for the transaction, once `rule` and its version allow the step."""
    determination = _locked(determination_id)
    label, editor = f"goal {determination.goal.number}", determination.last_edited_by
    _enforce(rule(user, determination), determination, expected_version, label=label, editor=editor)
    return determination


def _checked_texts(rule, assessment_id: int, user, expected_version: int) -> Assessment:
    """The assessment, locked, once `rule` and the texts' version allow the step."""
    assessment = _locked_assessment(assessment_id)
    label, editor = "the state texts", assessment.texts_edited_by
    _enforce(rule(user, assessment), assessment, expected_version, label=label, editor=editor)
    return assessment


def _reopens(state: str, change_reason: str, *, refusal: str) -> bool:
    """Whether an edit reopens an approved version, which it may only with a change reason
    (else WorkflowError(refusal))."""
    if state != ReviewState.APPROVED:
        return False
    if not change_reason:
        raise WorkflowError(refusal)
    return True


def _attributed(obj, *, user, reason):
    """`obj`, with the user and reason its next history record carries."""
    obj._history_user = user
    obj._change_reason = reason
    return obj


def _recorded(subject, *, user, reason: str, action, comment: str = ""):
    """Save a review step: the subject with its history record saying who and why, and the
    review event at its new version."""
    _attributed(subject, user=user, reason=reason).save()
    _event(subject, user=user, action=action, comment=comment)
    return subject


def _event(subject, *, user, action, comment="") -> ReviewEvent | TextsReviewEvent:
    """A review event at the subject's version: a determination's, or (for an assessment)
    its state texts'."""
    if isinstance(subject, Assessment):
        model, field_name = TextsReviewEvent, "assessment"
        assessment, determination = subject, None
    else:
        model, field_name = ReviewEvent, "determination"
        assessment, determination = subject.assessment, subject
    event = model.objects.create(
        **{field_name: subject},
        version=subject.version,
        actor=user,
        action=action,
        comment=comment,
    )
    # Whoever the step concerns is told, in this transaction (e-mail after the commit).
    review_event_notify(event, assessment=assessment, determination=determination)
    return event


@retry_once
def determination_save(
    *,
    determination_id: int,
    user,
    expected_version: int,
    data: DeterminationData,
    change_reason: str = "",
) -> GoalDetermination:
    """Save an analyst's edit as the goal's next version. Editing an approved goal needs a
    reason and reopens it. Nothing is written when the rules refuse the edit (WorkflowError)
    or someone saved a newer version than `expected_version` (EditConflict)."""
    change_reason = change_reason.strip()
    with transaction.atomic():
        determination = _checked_goal(
            permissions.can_edit, determination_id, user, expected_version
        )
        was_approved = _reopens(
            determination.review_state,
            change_reason,
            refusal=f"Goal {determination.goal.number} is approved. Give a change reason to "
            "edit it; saving makes a draft, and the approved version counts until the draft "
            "is approved.",
        )
        try:
            points = scoring.goal_points(data.status, data.points, determination.goal.max_points)
        except scoring.ScoringError as error:
            raise WorkflowError(str(error)) from None
        _validate_awards(determination, data.extra_credit)

        # Derived points were chosen to fit a published total; a new value is the analyst's.
        determination.points_derived = determination.points_derived and (
            points == determination.points
        )
        determination.status = data.status
        determination.points = points
        determination.narrative = data.narrative
        determination.marked_title = data.marked_title
        # The analyst has looked at a goal the crosswalk reshaped.
        determination.needs_fresh_look = False
        determination.version += 1
        determination.last_edited_by = user
        if was_approved:
            # The approval stays: the approved version keeps counting for the scores and
            # the report card while this draft waits for review.
            determination.review_state = ReviewState.DRAFT
        _attributed(determination, user=user, reason=change_reason or "Edited").save()
        _sync_children(determination, data, user=user, reason=change_reason or "Edited")
        if was_approved:
            _event(
                determination, user=user, action=ReviewEvent.Action.REOPEN, comment=change_reason
            )
    return determination


def _validate_awards(determination, awards: list[AwardData]) -> None:
    opportunities = {
        o.category_id: o
        for o in ExtraCreditOpportunity.objects.filter(goal=determination.goal).select_related(
            "category"
        )
    }
    seen = set()
    for award in awards:
        opportunity = opportunities.get(award.category_id)
        if opportunity is None:
            label = ExtraCreditCategory.objects.filter(pk=award.category_id).first()
            raise WorkflowError(
                f"Goal {determination.goal.number} offers no {label or 'such'} extra credit."
            )
        if award.category_id in seen:
            raise WorkflowError(f"{opportunity.category} extra credit is awarded twice.")
        seen.add(award.category_id)
        problem = scoring.award_problem(award.points, opportunity.max_points)
        if problem:
            raise WorkflowError(problem)


def _sync(determination, model, existing, rows, values, *, user, reason) -> None:
    """Make the determination's parts of `model` match `rows`: update by id, create new
    ones, delete the rest. `values(row, position)` gives the fields a row sets.

    Rows keep their ids, so history shows “changed” rather than “deleted and re-added”.
    """
    by_id = {obj.pk: obj for obj in existing}
    kept = {row.id for row in rows if row.id in by_id}
    # Removed rows go first, so a row re-added in the same save does not collide with it.
    for pk, obj in by_id.items():
        if pk not in kept:
            _attributed(obj, user=user, reason=reason).delete()
    for position, row in enumerate(rows, start=1):
        fields = values(row, position)
        obj = by_id.get(row.id) if row.id else None
        if obj is None:
            obj = model(determination=determination, **fields)
            _attributed(obj, user=user, reason=reason).save()
        elif _assign(obj, **fields):
            _attributed(obj, user=user, reason=reason).save()


def _assign(obj, **values) -> bool:
    changed = False
    for attr, value in values.items():
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed = True
    return changed


@dataclass
class _Text:
    text: str
    id: int | None = None


def _statute_for(determination, row: CitationData, *, user, reason) -> Statute:
    jurisdiction = determination.assessment.jurisdiction
    if row.statute_id:
        statute = Statute.objects.filter(pk=row.statute_id, jurisdiction=jurisdiction).first()
        if statute is None:
            raise WorkflowError(f"Choose a statute of {jurisdiction.name}.")
        return statute
    citation = " ".join(row.new_citation.split())
    if not citation:
        raise WorkflowError("Each citation needs a statute: choose one or enter a new citation.")
    statute, created = Statute.objects.get_or_create(
        jurisdiction=jurisdiction,
        citation=citation,
        defaults={"caption": row.new_caption.strip(), "text": row.new_text.strip()},
    )
    if created:
        statute.history.filter(history_type="+").update(
            history_user=user, history_change_reason=reason
        )
    return statute


def _sync_children(determination, data: DeterminationData, *, user, reason) -> None:
    statutes = {
        id(row): _statute_for(determination, row, user=user, reason=reason)
        for row in data.citations
    }
    sync = functools.partial(_sync, determination, user=user, reason=reason)
    sync(
        Citation,
        determination.citations.all(),
        data.citations,
        lambda row, position: {
            "statute": statutes[id(row)],
            "pinpoint": row.pinpoint.strip(),
            "quote": row.quote,
            "position": position,
        },
    )
    existing = list(determination.recommendations.all())
    rows = [
        _Text(text=text, id=existing[index].pk if index < len(existing) else None)
        for index, text in enumerate(data.recommendations)
    ]
    sync(
        Recommendation,
        existing,
        rows,
        lambda row, position: {"text": row.text, "position": position},
    )
    sync(
        Insight,
        determination.insights.all(),
        data.insights,
        lambda row, position: {
            "quote": row.quote,
            "attribution": row.attribution,
            "position": position,
        },
    )
    awards = {award.pk: award for award in determination.extra_credit_awards.all()}
    # A goal has one award per category, so an award is the one of its category: two
    # awards whose categories were swapped are two changed awards, not a clash.
    by_category = {award.category_id: award.pk for award in awards.values()}
    sync(
        ExtraCreditAward,
        awards.values(),
        [replace(row, id=by_category.get(row.category_id)) for row in data.extra_credit],
        lambda row, position: {
            "category_id": row.category_id,
            "points": row.points,
            "explanation": row.explanation,
            "points_derived": _still_derived(awards.get(row.id), row.points),
        },
    )


def _still_derived(award, points) -> bool:
    """Derived points were chosen to fit a published total; a new value is the analyst's."""
    return award is not None and award.points_derived and award.points == points


@retry_once
def determination_submit(
    *, determination_id: int, user, expected_version: int
) -> GoalDetermination:
    """An analyst sends a draft for review; the submitted version is frozen."""
    with transaction.atomic():
        determination = _checked_goal(
            permissions.can_submit, determination_id, user, expected_version
        )
        _refuse_dangling_references(determination, "submitted")
        determination.review_state = ReviewState.SUBMITTED
        _recorded(
            determination,
            user=user,
            reason="Submitted for review",
            action=ReviewEvent.Action.SUBMIT,
        )
    return determination


@retry_once
def determination_save_and_submit(
    *,
    determination_id: int,
    user,
    expected_version: int,
    data: DeterminationData,
    change_reason: str = "",
) -> GoalDetermination:
    """Save an analyst's edit and submit the version it makes, in one transaction: both
    happen or neither (a refused submission keeps the edit unsaved, and the form keeps it).
    The rules and the version check are those of `determination_save` and
    `determination_submit`."""
    with transaction.atomic():
        saved = determination_save(
            determination_id=determination_id,
            user=user,
            expected_version=expected_version,
            data=data,
            change_reason=change_reason,
        )
        return determination_submit(
            determination_id=determination_id, user=user, expected_version=saved.version
        )


@retry_once
def determination_withdraw(
    *, determination_id: int, user, expected_version: int
) -> GoalDetermination:
    """The analyst who submitted a goal takes it back to draft before a reviewer acted on
    it; recorded as a review event."""
    with transaction.atomic():
        determination = _checked_goal(
            permissions.can_withdraw, determination_id, user, expected_version
        )
        determination.review_state = ReviewState.DRAFT
        _recorded(
            determination,
            user=user,
            reason="Submission withdrawn",
            action=ReviewEvent.Action.WITHDRAW,
        )
    return determination


def _refuse_dangling_references(determination, action: str) -> None:
    """A draft may refer to a quote, table or footnote that is not there yet; what goes to
    review or into the card may not."""
    problems = determination_reference_problems(determination)
    if problems:
        raise WorkflowError(" ".join(problems) + f" Fix the references before it can be {action}.")


@retry_once
def determination_approve(
    *, determination_id: int, user, expected_version: int
) -> GoalDetermination:
    """A reviewer approves exactly the version they saw, never their own work (four-eyes).

    The version is frozen as a DeterminationApproval (with the cited statutes' wording); it
    counts in the scores from the next recompute, queued on commit, and is what a report
    card prints.
    """
    with transaction.atomic():
        determination = _checked_goal(
            permissions.can_approve, determination_id, user, expected_version
        )
        _refuse_dangling_references(determination, "approved")
        approvals_record([determination], user=user)
        _recorded(determination, user=user, reason="Approved", action=ReviewEvent.Action.APPROVE)
        cycle_mark_stale(cycle_id=determination.assessment.cycle_id)
    return determination


def determination_accept_statute_wording(
    *, determination_id: int, user, approval_id: int
) -> GoalDetermination:
    """A reviewer accepts the library's newer wording of the statutes a goal's approval
    cites: the same determination version is approved again with that wording, so the
    report card prints it. Never by someone who edited one of those statutes since the
    wording approved (four-eyes). `approval_id` is the approval the reviewer compared."""
    if not has_role(user, Role.REVIEWER):
        raise PermissionDenied("Only a reviewer can accept a statute's new wording.")
    with transaction.atomic():
        determination = _locked(determination_id)
        approval = determination.approved
        if approval is None or approval.pk != approval_id:
            raise WorkflowError(
                f"Goal {determination.goal.number} was approved again meanwhile; reload the "
                "page to see what changed."
            )
        changed = approval.statute_versions.filter(version__lt=F("statute__version"))
        if not changed.exists():
            raise WorkflowError(
                f"The statutes goal {determination.goal.number} cites have not changed since "
                "its approval."
            )
        if determination.assessment.cycle.state != Cycle.State.OPEN:
            raise WorkflowError(f"The {determination.assessment.cycle.year} cycle is published.")
        newer = functools.reduce(
            operator.or_, (Q(id=row.statute_id, version__gt=row.version) for row in changed)
        )
        editors = set(Statute.history.filter(newer).values_list("history_user_id", flat=True))
        if user.pk in editors:
            raise WorkflowError(
                f"You edited a statute goal {determination.goal.number} cites, so another "
                "reviewer must accept its new wording (four-eyes rule)."
            )
        determination.approved = approval_with_current_wording(approval, user=user)
        _attributed(determination, user=user, reason="Accepted the new statute wording").save()
        ReviewEvent.objects.create(
            determination=determination,
            version=approval.version,
            actor=user,
            action=ReviewEvent.Action.APPROVE,
            comment="Accepted the new wording of "
            + ", ".join(row.statute.citation for row in changed.select_related("statute")),
        )
    return determination


def determination_request_changes(
    *, determination_id: int, user, expected_version: int, comment: str
) -> GoalDetermination:
    """A reviewer sends a submitted goal back to draft with a comment saying why."""
    return _send_back(_GOAL, determination_id, user, expected_version, comment)


REVIEW_COMMENT = TypedText(
    "comment", "Say what needs to change: the comment is required.", TEXT_MAX_CHARS
)


def _check_comment(comment: str) -> None:
    if problem := REVIEW_COMMENT.problem(comment):
        raise WorkflowError(problem)


@dataclass
class AssessmentTexts:
    highlights: list[str]
    issue_summaries: dict[str, str]
    extra_credit_summaries: dict[str, str]
    safe_harbor_status: str
    safe_harbor_summary: str


def _texts_problems(texts: AssessmentTexts) -> list[str]:
    """Placeholders the texts cannot have, named by the text they are in."""
    named = [(f"Highlight {n}", text) for n, text in enumerate(texts.highlights, start=1)]
    named += [(f"The issue {k} summary", v) for k, v in texts.issue_summaries.items()]
    named += [(f"The {k} extra credit summary", v) for k, v in texts.extra_credit_summaries.items()]
    named += [
        ("The Safe Harbor status", texts.safe_harbor_status),
        ("The Safe Harbor summary", texts.safe_harbor_summary),
    ]
    return [problem for label, text in named for problem in placeholder_problems(text, label)]


_TEXTS_REOPEN = (
    "The state texts are approved. Give a change reason to edit them; saving makes a draft, "
    "and the approved texts are printed until the draft is approved."
)


def _locked_assessment(assessment_id: int) -> Assessment:
    return lock_for_edit(
        Assessment.objects.select_related("texts_edited_by", "texts_approved"), assessment_id
    )


@retry_once
def assessment_texts_save(
    *,
    assessment_id: int,
    user,
    expected_version: int,
    texts: AssessmentTexts,
    change_reason: str = "",
) -> Assessment:
    """Save the state texts printed on the report card as their next version. Editing
    approved texts needs a reason and makes a draft; the approved texts keep counting until
    it is approved. Nothing is written when the rules refuse (WorkflowError), a placeholder
    is unknown, or someone saved a newer version than `expected_version` (EditConflict)."""
    change_reason = change_reason.strip()
    with transaction.atomic():
        assessment = _checked_texts(
            permissions.can_edit_texts, assessment_id, user, expected_version
        )
        was_approved = _reopens(assessment.texts_state, change_reason, refusal=_TEXTS_REOPEN)
        problems = _texts_problems(texts)
        if problems:
            raise WorkflowError(" ".join(problems))
        assessment.highlights = [line.strip() for line in texts.highlights if line.strip()]
        assessment.issue_summaries = texts.issue_summaries
        assessment.extra_credit_summaries = texts.extra_credit_summaries
        assessment.safe_harbor_status = texts.safe_harbor_status
        assessment.safe_harbor_summary = texts.safe_harbor_summary
        assessment.version += 1
        assessment.texts_edited_by = user
        assessment.texts_state = ReviewState.DRAFT
        reason = change_reason or "Edited state texts"
        _attributed(assessment, user=user, reason=reason).save()
        if was_approved:
            _event(assessment, user=user, action=ReviewEvent.Action.REOPEN, comment=change_reason)
    return assessment


@retry_once
def assessment_texts_submit(*, assessment_id: int, user, expected_version: int) -> Assessment:
    """An analyst sends draft state texts for review; the submitted version is frozen."""
    with transaction.atomic():
        assessment = _checked_texts(
            permissions.can_submit_texts, assessment_id, user, expected_version
        )
        assessment.texts_state = ReviewState.SUBMITTED
        _recorded(
            assessment,
            user=user,
            reason="State texts submitted for review",
            action=ReviewEvent.Action.SUBMIT,
        )
    return assessment


@retry_once
def assessment_texts_approve(*, assessment_id: int, user, expected_version: int) -> Assessment:
    """A reviewer approves exactly the texts version they saw, never their own (four-eyes);
    it is frozen as an AssessmentTextsApproval, which the report card prints."""
    with transaction.atomic():
        assessment = _checked_texts(
            permissions.can_approve_texts, assessment_id, user, expected_version
        )
        texts_approval_record(assessment, user=user)
        _recorded(
            assessment, user=user, reason="State texts approved", action=ReviewEvent.Action.APPROVE
        )
    return assessment


def assessment_texts_request_changes(
    *, assessment_id: int, user, expected_version: int, comment: str
) -> Assessment:
    """A reviewer sends submitted state texts back to draft with a comment saying why."""
    return _send_back(_TEXTS, assessment_id, user, expected_version, comment)


@dataclass(frozen=True)
class _Reviewed:
    """How a review step reaches what it reviews: a goal, or an assessment's state texts."""

    checked: Callable[..., Any]  # _checked_goal or _checked_texts
    may_request_changes: Callable[[Any, Any], Decision]
    state_field: str


_GOAL = _Reviewed(_checked_goal, permissions.can_request_changes, "review_state")
_TEXTS = _Reviewed(_checked_texts, permissions.can_request_texts_changes, "texts_state")


@retry_once
def _send_back(reviewed: _Reviewed, pk: int, user, expected_version: int, comment: str):
    """Request changes: back to draft, with the reviewer's comment saying why (required)."""
    comment = comment.strip()
    with transaction.atomic():
        subject = reviewed.checked(reviewed.may_request_changes, pk, user, expected_version)
        _check_comment(comment)
        setattr(subject, reviewed.state_field, ReviewState.DRAFT)
        _recorded(
            subject,
            user=user,
            reason="Changes requested",
            action=ReviewEvent.Action.REQUEST_CHANGES,
            comment=comment,
        )
    return subject
