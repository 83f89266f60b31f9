"""Read queries for the statute library; a page's query count never grows with its rows.

`statutes` must not import `assessments`: the determinations citing a statute are reached
through the reverse relation `statute.citations`, named only in strings.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Jurisdiction, Statute

# The fields an analyst edits, in the order the form and the diff show them.
EDITABLE_FIELDS = ["citation", "caption", "text", "effective_date", "amendment_note"]
LONG_TEXT_FIELDS = {"text", "amendment_note"}


def jurisdictions_with_statute_counts() -> QuerySet[Jurisdiction]:
    """All jurisdictions by name, each with `statute_count`, in one query."""
    return Jurisdiction.objects.annotate(statute_count=Count("statutes")).order_by("name")


def jurisdiction_by_code(code: str) -> Jurisdiction:
    """The jurisdiction with this postal code (any case), or 404."""
    return get_object_or_404(Jurisdiction, code=code.upper())


def statute_search(*, jurisdiction: Jurisdiction, query: str = "") -> QuerySet[Statute]:
    """The jurisdiction's statutes by citation, each with `determination_count`.

    `query` matches citation, caption or text, ignoring case.
    """
    statutes = Statute.objects.filter(jurisdiction=jurisdiction)
    query = query.strip()
    if query:
        statutes = statutes.filter(
            Q(citation__icontains=query) | Q(caption__icontains=query) | Q(text__icontains=query)
        )
    return statutes.annotate(
        determination_count=Count("citations__determination", distinct=True)
    ).order_by("citation", "pk")


def statute_for(*, code: str, pk: int) -> Statute:
    """The statute `pk` of jurisdiction `code`; 404 when it belongs to another one."""
    return get_object_or_404(
        Statute.objects.select_related("jurisdiction"), pk=pk, jurisdiction__code=code.upper()
    )


def statute_citations(statute: Statute) -> list:
    """Every citation of the statute with its determination, goal and cycle, newest cycle
    first, in goal order; each carries `status_label`, the determination's status in words."""
    citations = list(
        statute.citations.select_related(
            "determination__goal", "determination__assessment__cycle"
        ).order_by(
            "-determination__assessment__cycle__year",
            "determination__goal__ordering",
            "position",
            "pk",
        )
    )
    for citation in citations:
        citation.status_label = _status_label(citation.determination)
    return citations


def _status_label(determination) -> str:
    label = determination.get_status_display()
    if label == determination.status:  # a value the field's choices do not name
        label = str(determination.status).replace("_", " ").capitalize()
    return label


def statute_latest_record(statute: Statute):
    """The statute's newest history record (with its user), or None."""
    return statute.history.select_related("history_user").order_by("-history_id").first()


def statute_version(statute: Statute) -> int | None:
    """The id of the statute's newest history record: the version an edit starts from."""
    return statute.history.order_by("-history_id").values_list("history_id", flat=True).first()


def text_paragraphs(text: str) -> list[str]:
    """Split a statute's text into paragraphs at blank lines (line breaks inside are kept)."""
    return [part.strip("\n") for part in re.split(r"\n\s*\n", text or "") if part.strip()]


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    diff_lines: list[tuple[str, str]] = field(default_factory=list)  # (kind, line)

    @property
    def is_long(self) -> bool:
        return bool(self.diff_lines)


@dataclass
class VersionEntry:
    record: object
    previous: object | None
    changes: list[FieldChange]

    @property
    def is_creation(self) -> bool:
        return self.previous is None


def display_value(value) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _chunks(text: str) -> list[str]:
    """Lines of text, further cut after sentences, semicolons and commas, for diffing."""
    chunks = []
    for line in (text or "").splitlines():
        chunks.extend(part for part in re.split(r"(?<=[.;:,])\s+", line) if part)
    return chunks


def compact_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A unified diff of two texts with one chunk of context, as (kind, line) pairs where
    kind is "hunk", "del", "add" or "same"."""
    lines = []
    diff = difflib.unified_diff(_chunks(old), _chunks(new), n=1, lineterm="")
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(("hunk", "…"))
        elif line.startswith("-"):
            lines.append(("del", line[1:]))
        elif line.startswith("+"):
            lines.append(("add", line[1:]))
        else:
            lines.append(("same", line[1:]))
    return lines


def _field_change(name: str, old, new, *, creation: bool = False) -> FieldChange:
    label = Statute._meta.get_field(name).verbose_name.capitalize()
    old_text, new_text = display_value(old), display_value(new)
    change = FieldChange(field=name, label=label, old=old_text, new=new_text)
    long = len(old_text) > 200 or len(new_text) > 200
    if name in LONG_TEXT_FIELDS and long and not creation:
        change.diff_lines = compact_diff(old_text, new_text)
    return change


def version_entries(records: list, previous_of_last) -> list[VersionEntry]:
    """Pair each history record (newest first) with the one before it and list what
    changed, field by field, using simple-history's `diff_against`.

    `previous_of_last` is the record just older than the last of `records` (or None).
    """
    entries = []
    olders = [*records[1:], previous_of_last]
    for record, previous in zip(records, olders, strict=True):
        if previous is None:
            changes = [
                _field_change(name, None, getattr(record, name), creation=True)
                for name in EDITABLE_FIELDS
                if display_value(getattr(record, name))
            ]
        else:
            delta = record.diff_against(previous, included_fields=EDITABLE_FIELDS)
            by_field = {change.field: change for change in delta.changes}
            changes = [
                _field_change(name, by_field[name].old, by_field[name].new)
                for name in EDITABLE_FIELDS
                if name in by_field
            ]
        entries.append(VersionEntry(record=record, previous=previous, changes=changes))
    return entries


def statute_history_page(statute: Statute, page):
    """Version entries of a page of `statute.history` (newest first); two queries."""
    records = list(page.object_list)
    previous_of_last = None
    if records:
        previous_of_last = (
            statute.history.filter(history_id__lt=records[-1].history_id)
            .order_by("-history_id")
            .first()
        )
    return version_entries(records, previous_of_last)


def version_comparison(current: Statute, yours: dict) -> list[dict]:
    """Field by field: the saved (their) value next to the submitted (your) value."""
    rows = []
    for name in EDITABLE_FIELDS:
        theirs, mine = display_value(getattr(current, name)), display_value(yours.get(name))
        label = Statute._meta.get_field(name).verbose_name.capitalize()
        rows.append({"label": label, "theirs": theirs, "yours": mine, "differs": theirs != mine})
    return rows


def statute_history(statute: Statute) -> QuerySet:
    return statute.history.select_related("history_user").order_by("-history_id")
