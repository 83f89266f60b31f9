"""The report card PDF (DESIGN.md §7): ReportLab Platypus, built from selectors' data.

    render_report_card(assessment) -> bytes

The same data renders to the same bytes: the document is invariant (fixed ID), dated by
the cycle's legislative cutoff rather than the clock, and names nothing at random.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from assessments.models import Assessment

from .data import ReportCard, report_card_data
from .document import ReportCardTemplate
from .sections import draw_cover, story
from .styles import styles

__all__ = ["page_count", "render_card", "render_report_card", "report_card_data"]

# ReportLab writes each page object's dictionary uncompressed, as "/Type /Page" (the page
# tree is "/Type /Pages").
PAGE_OBJECT = re.compile(rb"/Type /Page(?![a-zA-Z])")


def render_report_card(
    assessment: Assessment, *, draft: bool | None = None, on_page: Callable[[], None] | None = None
) -> bytes:
    """The assessment's report card as PDF bytes.

    `draft` marks every page with a DRAFT watermark; by default it is on whenever any
    policy goal lacks an approved determination, so a provisional report card can never
    pass for a published one. `on_page` is called after each page is laid out (a
    background job renews its lease there, so a long render is not taken for a dead one).
    """
    return render_card(report_card_data(assessment), draft=draft, on_page=on_page)


def render_card(
    card: ReportCard, *, draft: bool | None = None, on_page: Callable[[], None] | None = None
) -> bytes:
    """The PDF of data read with `report_card_data` (see render_report_card)."""
    if draft is None:
        draft = not card.complete
    buffer = io.BytesIO()
    document = ReportCardTemplate(buffer, card, draft=draft, cover=draw_cover, on_page=on_page)
    document.build(story(card, styles()))
    return buffer.getvalue()


def page_count(pdf: bytes) -> int:
    """Pages of a PDF made by render_report_card (not a general PDF parser)."""
    return len(PAGE_OBJECT.findall(pdf))
