"""Readable audit trails: versions with field-by-field diffs, interleaved with reviews.

Diffs come from django-simple-history's `diff_against`; consecutive records are paired
in Python, so a page costs a fixed number of queries however long the history is.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.safestring import SafeString, mark_safe

from .models import (
    Assessment,
    Citation,
    ExtraCreditAward,
    GoalDetermination,
    Insight,
    Recommendation,
    ReviewEvent,
)

HIDDEN_FIELDS = {"id", "updated_at", "determination", "assessment", "position"}
FIELD_LABELS = {
    "review_state": "review state",
    "approved_version": "approved version",
    "last_edited_by": "last editor",
    "points_derived": "points derived",
    "statute": "statute",
}
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
# Submitting, approving and requesting changes appear as review events; the determination
# records they leave behind (only these fields change) would repeat them.
WORKFLOW_FIELDS = {"review state", "approved version"}


@dataclass
class Change:
    field: str
    old: str
    new: str

    @property
    def is_long(self) -> bool:
        return len(self.old) > 80 or len(self.new) > 80 or "\n" in self.old + self.new

    @property
    def word_diff(self) -> SafeString:
        return word_diff_html(self.old, self.new)


@dataclass
class Entry:
    when: datetime
    user: str
    title: str
    reason: str = ""
    kind: str = "version"
    changes: list[Change] = field(default_factory=list)
    comment: str = ""


def word_diff_html(old: str, new: str) -> SafeString:
    """Old and new text as one escaped HTML string with <del> and <ins> marks."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(html.escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{html.escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{html.escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece is escaped above


def _show(value, labels=None, field_name="") -> str:
    if isinstance(value, list):
        return "\n".join(_show(item) for item in value) or "—"
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_show(item)}" for key, item in value.items()) or "—"
    if labels and (field_name, value) in labels:
        return labels[(field_name, value)]
    if value is None or value == "":
        return "—"
    return str(value)


def field_changes(new, old, labels=None) -> list[Change]:
    if old is None:
        return []
    delta = new.diff_against(old)
    return [
        Change(
            field=FIELD_LABELS.get(change.field, change.field.replace("_", " ")),
            old=_show(change.old, labels, change.field),
            new=_show(change.new, labels, change.field),
        )
        for change in delta.changes
        if change.field not in HIDDEN_FIELDS
    ]


def _user(record) -> str:
    return record.history_user.get_username() if record.history_user else "system"


def _record_entries(records, *, describe, labels=None) -> list[Entry]:
    """Entries for records of one model, each diffed against that row's previous record."""
    previous: dict[int, object] = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        changes = field_changes(record, previous.get(record.id), labels)
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
    from statutes.models import Statute

    ids = {r.statute_id for r in records}
    return {
        ("statute", pk): citation
        for pk, citation in Statute.objects.filter(pk__in=ids).values_list("pk", "citation")
    }


def _user_labels(records) -> dict:
    from django.contrib.auth import get_user_model

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
