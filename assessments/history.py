"""Readable audit trails: versions with field-by-field diffs, interleaved with reviews.

A timeline is a page of entries, newest first, from several streams (the history records
of the determination or assessment and of its parts, and the review events). The page is
chosen in the database, over one UNION of small (date, stream, id) rows, before anything
is loaded or diffed; then only the page's records and the record before each are read and
diffed with core.diffs. So a page costs a fixed number of queries and about the same time
whether the history holds 5 versions or 5,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.lookups import Exact, IsNull

from core.diffs import Change, record_changes
from statutes.models import Statute

from .changes import goal_changes
from .models import (
    Assessment,
    Citation,
    DeterminationApproval,
    ExtraCreditAward,
    GoalDetermination,
    Insight,
    Recommendation,
    ReviewEvent,
    TextsReviewEvent,
)

# Bookkeeping every record carries; an entry's title already names its version.
HIDDEN_FIELDS = ("id", "updated_at", "determination", "assessment", "position", "version")
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
# Submitting, approving and requesting changes appear as review events; the determination
# records they leave behind (only these fields change) would repeat them.
# The same for the state texts, whose review events are TextsReviewEvents.
TEXTS_WORKFLOW_FIELDS = ("texts_state", "texts_approved", "texts_edited_by")
WORKFLOW_FIELDS = {"review_state", "approved", *TEXTS_WORKFLOW_FIELDS}


@dataclass
class Entry:
    when: datetime
    user: str
    title: str
    reason: str = ""
    kind: str = "version"
    changes: list[Change] = field(default_factory=list)
    comment: str = ""
    approved_version: int | None = None  # an approval: the version "restore" can bring back


def _user(record) -> str:
    return record.history_user.get_username() if record.history_user else "system"


def _previous(history: QuerySet) -> Subquery:
    """The history id of the record before each one of the same row."""
    return Subquery(
        history.model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )


def _same_as_previous(history: QuerySet) -> Exists:
    """Whether a record's previous record shows the same values (only bookkeeping, or the
    workflow fields that review events already show, changed)."""
    model = history.model
    same = Q()
    for tracked in model.tracked_fields:
        name = tracked.attname
        if tracked.name in HIDDEN_FIELDS or tracked.name in WORKFLOW_FIELDS:
            continue
        equal = Q(Exact(F(name), OuterRef(name)))
        if tracked.null:
            equal |= Q(IsNull(F(name), True)) & Q(IsNull(OuterRef(name), True))
        same &= equal
    return Exists(model.objects.filter(same, history_id=OuterRef("previous_id")))


def _shown_records(history: QuerySet) -> QuerySet:
    """The records a timeline shows: creations, deletions, and changes of what people read."""
    return (
        history.annotate(previous_id=_previous(history))
        .annotate(unchanged=_same_as_previous(history))
        .filter(Q(history_type__in=("+", "-")) | Q(unchanged=False))
    )


def _keys(queryset: QuerySet, stream: str, when: str, key: str) -> QuerySet:
    return (
        queryset.order_by()
        .annotate(when=F(when), stream=Value(stream, output_field=CharField()), key=F(key))
        .values_list("when", "stream", "key")
    )


@dataclass(frozen=True)
class _Stream:
    """One source of entries: its rows, and how to turn a page's rows into entries."""

    name: str
    rows: QuerySet
    entries: object  # callable(list of keys) -> {key: Entry}


def _record_stream(name, history: QuerySet, *, describe, labels=None) -> _Stream:
    shown = _shown_records(history)

    def entries(keys) -> dict:
        records = list(
            history.model.objects.filter(history_id__in=keys)
            .annotate(previous_id=_previous(history))
            .select_related("history_user")
        )
        previous = history.model.objects.in_bulk([r.previous_id for r in records if r.previous_id])
        value_labels = labels(records + list(previous.values())) if labels else None
        return {
            record.history_id: Entry(
                when=record.history_date,
                user=_user(record),
                title=describe(record, HISTORY_TYPES.get(record.history_type, "changed")),
                reason=record.history_change_reason or "",
                changes=record_changes(
                    record,
                    previous.get(record.previous_id),
                    hidden=(*HIDDEN_FIELDS, *TEXTS_WORKFLOW_FIELDS),
                    value_labels=value_labels,
                ),
            )
            for record in records
        }

    return _Stream(name, _keys(shown, name, "history_date", "history_id"), entries)


def _statute_labels(records) -> dict:
    ids = {r.statute_id for r in records}
    return {
        ("statute", pk): citation
        for pk, citation in Statute.objects.filter(pk__in=ids).values_list("pk", "citation")
    }


def _user_labels(records) -> dict:
    ids = {r.last_edited_by_id for r in records if r.last_edited_by_id}
    return {
        ("last_edited_by", pk): name
        for pk, name in get_user_model().objects.filter(pk__in=ids).values_list("pk", "username")
    }


CHILDREN = [
    (Citation, "citation"),
    (Recommendation, "recommendation"),
    (Insight, "insight from the field"),
    (ExtraCreditAward, "extra-credit award"),
]


def _child_streams(determination_ids, goal_numbers) -> list[_Stream]:
    return [
        _record_stream(
            noun,
            model.history.filter(determination_id__in=determination_ids),
            describe=lambda r, kind, noun=noun: (
                f"Goal {goal_numbers.get(r.determination_id, '?')}: {noun} {kind}"
            ),
            labels=_statute_labels if model is Citation else None,
        )
        for model, noun in CHILDREN
    ]


def _review_stream(events: QuerySet, goal_numbers) -> _Stream:
    def entries(keys) -> dict:
        page = list(ReviewEvent.objects.filter(pk__in=keys).select_related("actor"))
        approved = _approval_changes(page)
        return {
            event.pk: Entry(
                when=event.created_at,
                user=event.actor.get_username(),
                title=f"Goal {goal_numbers.get(event.determination_id, '?')}: "
                f"{event.get_action_display().lower()} (version {event.version})",
                kind="review",
                comment=event.comment,
                changes=approved.get((event.determination_id, event.version), [])
                if event.action == ReviewEvent.Action.APPROVE
                else [],
                approved_version=event.version
                if event.action == ReviewEvent.Action.APPROVE
                else None,
            )
            for event in page
        }

    return _Stream("review", _keys(events, "review", "created_at", "id"), entries)


def _approval_changes(events: list[ReviewEvent]) -> dict[tuple[int, int], list[Change]]:
    """What each approval on the page approved, against the approval before it, as the
    reviewer's page showed it (assessments/changes.py): two queries, however long the
    history."""
    approvals = [event for event in events if event.action == ReviewEvent.Action.APPROVE]
    if not approvals:
        return {}
    pairs = Q()
    for event in approvals:
        pairs |= Q(determination_id=event.determination_id, version=event.version)
    earlier = DeterminationApproval.objects.filter(
        determination_id=OuterRef("determination_id"), version__lt=OuterRef("version")
    ).order_by("-version", "-approved_at", "-id")
    found = (
        DeterminationApproval.objects.filter(pairs)
        .annotate(previous_id=Subquery(earlier.values("id")[:1]))
        .order_by("approved_at", "id")
    )
    latest = {(approval.determination_id, approval.version): approval for approval in found}
    previous = DeterminationApproval.objects.in_bulk(
        [approval.previous_id for approval in latest.values() if approval.previous_id]
    )
    return {
        key: goal_changes(previous[approval.previous_id].document, approval.document)
        for key, approval in latest.items()
        if approval.previous_id in previous
    }


def _texts_review_stream(events: QuerySet) -> _Stream:
    def entries(keys) -> dict:
        return {
            event.pk: Entry(
                when=event.created_at,
                user=event.actor.get_username(),
                title=(
                    f"State texts: {event.get_action_display().lower()} (version {event.version})"
                ),
                kind="review",
                comment=event.comment,
            )
            for event in TextsReviewEvent.objects.filter(pk__in=keys).select_related("actor")
        }

    return _Stream("texts_review", _keys(events, "texts_review", "created_at", "id"), entries)


class _Timeline:
    """A page of entries from several streams, chosen before any of them is loaded."""

    def __init__(self, streams: list[_Stream]):
        self.streams = {stream.name: stream for stream in streams}
        first, *rest = (stream.rows for stream in streams)
        self.rows = first.union(*rest, all=True).order_by("-when", "-key")

    def page(self, number, size: int) -> Page:
        page = Paginator(self.rows, size).get_page(number)
        keys: dict[str, list] = {}
        for _, stream, key in page.object_list:
            keys.setdefault(stream, []).append(key)
        loaded = {
            stream: self.streams[stream].entries(stream_keys)
            for stream, stream_keys in keys.items()
        }
        page.object_list = [loaded[stream][key] for _, stream, key in page.object_list]
        return page


def determination_timeline(determination: GoalDetermination, page, size: int) -> Page:
    """A page of the goal's history: versions, changes of its parts, review events."""
    number = determination.goal.number
    numbers = {determination.pk: number}
    streams = [
        _record_stream(
            "goal",
            GoalDetermination.history.filter(id=determination.pk),
            describe=lambda r, kind: f"Goal {number}: version {r.version} {kind}",
            labels=_user_labels,
        ),
        *_child_streams([determination.pk], numbers),
        _review_stream(determination.review_events.all(), numbers),
    ]
    return _Timeline(streams).page(page, size)


def assessment_timeline(assessment: Assessment, page, size: int) -> Page:
    """A page of the assessment's history: its state texts and every goal's timeline."""
    numbers = dict(assessment.determinations.values_list("pk", "goal__number"))
    streams = [
        _record_stream(
            "texts",
            Assessment.history.filter(id=assessment.pk),
            describe=lambda r, kind: f"State texts {kind} (version {r.version})",
        ),
        _record_stream(
            "goal",
            GoalDetermination.history.filter(assessment_id=assessment.pk),
            describe=lambda r, kind: f"Goal {numbers.get(r.id, '?')}: version {r.version} {kind}",
            labels=_user_labels,
        ),
        *_child_streams(list(numbers), numbers),
        _review_stream(ReviewEvent.objects.filter(determination__assessment=assessment), numbers),
        _texts_review_stream(TextsReviewEvent.objects.filter(assessment=assessment)),
    ]
    return _Timeline(streams).page(page, size)
