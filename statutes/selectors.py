"""Read queries for the statute library; a page's query count never grows with its rows.

`statutes` must not import `assessments`: the determinations citing a statute are reached
through the reverse relation `statute.citations`, named only in strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.diffs import Change, compare, record_changes

from .models import Bill, Jurisdiction, Statute

# The fields an analyst edits, in the order the form and the diff show them.
EDITABLE_FIELDS = [
    "citation",
    "caption",
    "text",
    "enacted_date",
    "effective_date",
    "amendment_note",
]
BILL_FIELDS = ["number", "session", "status", "enacted_date", "effective_date"]


def jurisdictions_with_statute_counts() -> QuerySet[Jurisdiction]:
    """All jurisdictions by name, each with `statute_count`, in one query."""
    return Jurisdiction.objects.annotate(statute_count=Count("statutes")).order_by("name")


def jurisdiction_by_code(code: str) -> Jurisdiction:
    """The jurisdiction with this postal code (any case), or 404."""
    return get_object_or_404(Jurisdiction, code=code.upper())


def pending_bills(jurisdiction: Jurisdiction) -> QuerySet[Bill]:
    """The jurisdiction's pending bills, newest session first."""
    return Bill.objects.filter(jurisdiction=jurisdiction, status=Bill.Status.PENDING).order_by(
        "-session", "number"
    )


def bill_by_number(jurisdiction: Jurisdiction, number: str) -> Bill | None:
    """The jurisdiction's bill numbered `number` (any case and spacing): a pending one
    before others, then the newest; None when the library has none."""
    number = " ".join((number or "").split())
    if not number:
        return None
    bills = Bill.objects.filter(jurisdiction=jurisdiction, number__iexact=number).order_by("-id")
    return min(bills, key=lambda bill: bill.status != Bill.Status.PENDING, default=None)


def bills_of(jurisdiction: Jurisdiction) -> QuerySet[Bill]:
    """The jurisdiction's bills, newest session first, by number within a session."""
    return Bill.objects.filter(jurisdiction=jurisdiction).order_by("-session", "number", "pk")


def bill_for(*, code: str, pk: int) -> Bill:
    """The bill `pk` of jurisdiction `code`; 404 when it belongs to another one."""
    return get_object_or_404(
        Bill.objects.select_related("jurisdiction"), pk=pk, jurisdiction__code=code.upper()
    )


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


def text_paragraphs(text: str) -> list[str]:
    """Split a statute's text into paragraphs at blank lines (line breaks inside are kept)."""
    return [part.strip("\n") for part in re.split(r"\n\s*\n", text or "") if part.strip()]


@dataclass
class VersionEntry:
    record: object
    previous: object | None
    changes: list[Change]

    @property
    def is_creation(self) -> bool:
        return self.previous is None


def version_entries(
    records: list, previous_of_last, *, fields=EDITABLE_FIELDS
) -> list[VersionEntry]:
    """Pair each history record (newest first) with the one before it and list what
    changed, field by field; a first version lists every field it filled in.

    `previous_of_last` is the record just older than the last of `records` (or None).
    """
    olders = [*records[1:], previous_of_last]
    return [
        VersionEntry(
            record=record,
            previous=previous,
            changes=record_changes(record, previous, fields=fields),
        )
        for record, previous in zip(records, olders, strict=True)
    ]


def statute_history_page(statute: Statute, page, *, fields=EDITABLE_FIELDS):
    """Version entries of a page of `statute.history` (newest first); two queries. A bill's
    history pages the same way, with `fields=BILL_FIELDS`."""
    records = list(page.object_list)
    previous_of_last = None
    if records:
        previous_of_last = (
            statute.history.filter(history_id__lt=records[-1].history_id)
            .order_by("-history_id")
            .first()
        )
    return version_entries(records, previous_of_last, fields=fields)


def version_comparison(current: Statute | Bill, yours, *, fields=EDITABLE_FIELDS) -> list[Change]:
    """Field by field: the saved value (their version, `old`) next to the one the user
    submitted (`new`); a bill's with `fields=BILL_FIELDS`."""
    return compare(current, yours, fields, model=type(current))


def statute_history(statute: Statute) -> QuerySet:
    return statute.history.select_related("history_user").order_by("-history_id")
