"""Readable audit trails: versions with field-by-field diffs, interleaved with reviews.

Diffs come from core.diffs; consecutive records are paired in Python, so a page costs a
fixed number of queries however long the history is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model

from core.diffs import Change, record_changes
from statutes.models import Statute

from .models import (
    Assessment,
    Citation,
    ExtraCreditAward,
    GoalDetermination,
    Insight,
    Recommendation,
    ReviewEvent,
)

# Bookkeeping every record carries; an entry's title already names its version.
HIDDEN_FIELDS = ("id", "updated_at", "determination", "assessment", "position", "version")
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
# Submitting, approving and requesting changes appear as review events; the determination
# records they leave behind (only these fields change) would repeat them.
WORKFLOW_FIELDS = {"review_state", "approved_version"}


@dataclass
class Entry:
    when: datetime
    user: str
    title: str
    reason: str = ""
    kind: str = "version"
    changes: list[Change] = field(default_factory=list)
    comment: str = ""


def _user(record) -> str:
    return record.history_user.get_username() if record.history_user else "system"


def _record_entries(records, *, describe, labels=None) -> list[Entry]:
    """Entries for records of one model, each diffed against that row's previous record."""
    previous: dict[int, object] = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        older = previous.get(record.id)  # None for the first: its creation lists no changes
        changes = record_changes(record, older, hidden=HIDDEN_FIELDS, value_labels=labels)
        previous[record.id] = record
        kind = HISTORY_TYPES.get(record.history_type, "changed")
        if kind == "changed" and {c.field for c in changes} <= WORKFLOW_FIELDS:
            continue
        entries.append(
            Entry(
                when=record.history_date,
                user=_user(record),
                title=describe(record, kind),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


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


def _child_entries(determination_ids, goal_numbers) -> list[Entry]:
    entries = []
    children = [
        (Citation, "citation"),
        (Recommendation, "recommendation"),
        (Insight, "insight from the field"),
        (ExtraCreditAward, "extra-credit award"),
    ]
    for model, noun in children:
        records = list(
            model.history.filter(determination_id__in=determination_ids).select_related(
                "history_user"
            )
        )
        labels = _statute_labels(records) if model is Citation else None
        entries += _record_entries(
            records,
            describe=lambda r, kind, noun=noun: (
                f"Goal {goal_numbers[r.determination_id]}: {noun} {kind}"
            ),
            labels=labels,
        )
    return entries


def _review_entries(events, goal_numbers) -> list[Entry]:
    return [
        Entry(
            when=event.created_at,
            user=event.actor.get_username(),
            title=f"Goal {goal_numbers[event.determination_id]}: "
            f"{event.get_action_display().lower()} (version {event.version})",
            kind="review",
            comment=event.comment,
        )
        for event in events
    ]


def determination_timeline(determination: GoalDetermination) -> list[Entry]:
    numbers = {determination.pk: determination.goal.number}
    records = list(determination.history.select_related("history_user"))
    entries = _record_entries(
        records,
        describe=lambda r, kind: f"Goal {determination.goal.number}: version {r.version} {kind}",
        labels=_user_labels(records),
    )
    entries += _child_entries([determination.pk], numbers)
    events = determination.review_events.select_related("actor")
    entries += _review_entries(events, numbers)
    return sorted(entries, key=lambda e: e.when, reverse=True)


def assessment_timeline(assessment: Assessment) -> list[Entry]:
    numbers = dict(assessment.determinations.values_list("pk", "goal__number"))
    text_records = list(assessment.history.select_related("history_user"))
    entries = _record_entries(
        text_records, describe=lambda r, kind: f"State texts {kind} (version {r.version})"
    )
    records = list(
        GoalDetermination.history.filter(assessment_id=assessment.pk).select_related("history_user")
    )
    entries += _record_entries(
        records,
        describe=lambda r, kind: f"Goal {numbers.get(r.id, '?')}: version {r.version} {kind}",
        labels=_user_labels(records),
    )
    entries += _child_entries(list(numbers), numbers)
    events = ReviewEvent.objects.filter(determination__assessment=assessment).select_related(
        "actor"
    )
    entries += _review_entries(events, numbers)
    return sorted(entries, key=lambda e: e.when, reverse=True)
