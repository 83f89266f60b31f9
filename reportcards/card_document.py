"""A report card as a JSON document, and back.

A published version stores the `ReportCard` it was rendered from (`PublishedReportCard.document`),
so every later reader — the HTML edition, open data, the API, the survey charts and the static
site — shows exactly the figures and texts its PDF printed, whatever the data became since.
pydantic converts the frozen dataclasses both ways: Decimals become strings (no float
rounding), dates ISO strings, tuples lists.
"""

from __future__ import annotations

from pydantic import TypeAdapter

from .pdf.data import ReportCard

_ADAPTER = TypeAdapter(ReportCard)


def to_document(card: ReportCard) -> dict:
    """`card` as JSON-safe data (what `json.dumps` accepts)."""
    return _ADAPTER.dump_python(card, mode="json")


def from_document(document: dict) -> ReportCard:
    """The `ReportCard` a document stored by `to_document` describes."""
    return _ADAPTER.validate_python(document)
