"""Colours, page geometry and paragraph styles of the report card."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch

from . import fonts

PAGE_SIZE = LETTER
MARGIN_X = 0.8 * inch
MARGIN_TOP = 0.95 * inch
MARGIN_BOTTOM = 0.85 * inch
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X
BODY_HEIGHT = PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM

NAVY = HexColor("#1f3a5f")
ACCENT = HexColor("#b03a2e")
INK = HexColor("#1d2329")
GREY = HexColor("#5f6b7a")
PALE = HexColor("#eef2f6")
RULE = HexColor("#c5cfdb")
WATERMARK = HexColor("#e4e4e4")
STATUS_COLOURS = {
    "fully_met": HexColor("#2e7d32"),
    "partially_met": HexColor("#a35f00"),
    "not_met": HexColor("#b03a2e"),
}
GRADE_COLOURS = {
    "A": HexColor("#2e7d32"),
    "B": HexColor("#4f7f2a"),
    "C": HexColor("#a35f00"),
    "D": HexColor("#c0571b"),
    "F": HexColor("#b03a2e"),
}


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    footnote: ParagraphStyle
    quote: ParagraphStyle
    quote_source: ParagraphStyle
    title: ParagraphStyle
    section: ParagraphStyle
    issue: ParagraphStyle
    goal: ParagraphStyle
    label: ParagraphStyle
    badge: ParagraphStyle
    award: ParagraphStyle
    insight: ParagraphStyle
    attribution: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_center: ParagraphStyle
    contents: ParagraphStyle


def _style(name: str, **options) -> ParagraphStyle:
    defaults = {
        "fontName": fonts.REGULAR,
        "bulletFontName": fonts.REGULAR,
        "fontSize": 9.5,
        "leading": 13,
        "textColor": INK,
        "alignment": TA_LEFT,
        "spaceAfter": 6,
        # At least two lines of a paragraph at each side of a page break.
        "allowWidows": 0,
        "allowOrphans": 0,
    }
    return ParagraphStyle(name, **(defaults | options))


def _heading(name: str, size: float, leading: float, **options) -> ParagraphStyle:
    """Headings are bold navy and never end a page without what follows them."""
    options = {"textColor": NAVY, "spaceAfter": 10, "keepWithNext": 1} | options
    return _style(name, fontName=fonts.BOLD, fontSize=size, leading=leading, **options)


def styles() -> Styles:
    """The paragraph styles of one render."""
    return Styles(
        body=_style("body"),
        small=_style("small", fontSize=8.5, leading=11.5, spaceAfter=4),
        footnote=_style("footnote", fontSize=7.5, leading=9.5, textColor=GREY, spaceAfter=2.5),
        quote=_style(
            "quote",
            fontSize=8.75,
            leading=12,
            leftIndent=22,
            rightIndent=16,
            textColor=HexColor("#2f3943"),
        ),
        quote_source=_style(
            "quote_source",
            fontSize=7.5,
            leading=9.5,
            leftIndent=22,
            rightIndent=16,
            textColor=GREY,
            spaceBefore=-2,
            spaceAfter=9,
        ),
        title=_style("title", fontName=fonts.BOLD, fontSize=22, leading=27, textColor=NAVY),
        section=_heading("section", 17, 22),
        issue=_heading("issue", 14, 18),
        goal=_heading("goal", 10.5, 14, spaceBefore=10, spaceAfter=3),
        label=_heading("label", 9, 12, spaceBefore=6, spaceAfter=4),
        badge=_style("badge", fontName=fonts.BOLD, fontSize=9, leading=12, keepWithNext=1),
        award=_style("award", fontSize=8.5, leading=11.5, spaceAfter=2, keepWithNext=1),
        insight=_style("insight", leftIndent=14, rightIndent=14, textColor=HexColor("#2f3943")),
        attribution=_style(
            "attribution", fontSize=8.5, leftIndent=14, textColor=GREY, spaceAfter=8
        ),
        cell=_style("cell", fontSize=8, leading=10.25, spaceAfter=0),
        cell_head=_style("cell_head", fontName=fonts.BOLD, fontSize=8, leading=10.25, spaceAfter=0),
        cell_center=_style(
            "cell_center", fontSize=8, leading=10.25, spaceAfter=0, alignment=TA_CENTER
        ),
        contents=_style("contents", fontName=fonts.BOLD, fontSize=11, leading=20, textColor=NAVY),
    )
