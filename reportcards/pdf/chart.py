"""Bar chart of each issue area's score against its maximum (reportlab.graphics).

Drawn from plain shapes rather than a chart widget: the score bar sits on top of the
maximum bar, which the stock bar charts only do as side-by-side groups.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String

from assessments.scoring import fmt

from . import fonts
from .data import Issue
from .styles import GRADE_COLOURS, GREY, INK, NAVY, PALE, RULE

ROW = 13
BAR = 8.5
LABEL_WIDTH = 118
VALUE_WIDTH = 58
FONT_SIZE = 7.5


def issue_chart(issues: Sequence[Issue], width: float) -> Drawing:
    height = ROW * len(issues) + 26
    drawing = Drawing(width, height)
    # The renderer starts in Helvetica unless told otherwise: keep the PDF DejaVu-only.
    drawing.initialFontName = fonts.REGULAR
    drawing.add(
        String(
            0,
            height - 10,
            "POINTS BY ISSUE AREA (score of maximum)",
            fontName=fonts.BOLD,
            fontSize=8,
            fillColor=NAVY,
        )
    )
    scale_max = max((issue.max for issue in issues), default=0) or 1
    bar_space = width - LABEL_WIDTH - VALUE_WIDTH
    for index, issue in enumerate(issues):
        y = height - 28 - index * ROW
        label = fonts.printable(f"{issue.number}. {issue.short_title}")[:30]
        drawing.add(
            String(0, y + 2, label, fontName=fonts.REGULAR, fontSize=FONT_SIZE, fillColor=INK)
        )
        full = float(issue.max / scale_max) * bar_space
        score = float(min(issue.score, issue.max) / scale_max) * bar_space
        drawing.add(
            Rect(LABEL_WIDTH, y, full, BAR, fillColor=PALE, strokeColor=RULE, strokeWidth=0.6)
        )
        if score > 0:
            colour = GRADE_COLOURS.get(issue.grade, NAVY)
            drawing.add(Rect(LABEL_WIDTH, y, score, BAR, fillColor=colour, strokeColor=None))
        drawing.add(
            String(
                LABEL_WIDTH + full + 6,
                y + 2,
                f"{fmt(issue.score)} / {fmt(issue.max)}  {issue.grade}",
                fontName=fonts.REGULAR,
                fontSize=FONT_SIZE,
                fillColor=GREY,
            )
        )
    drawing.add(Line(LABEL_WIDTH, 4, LABEL_WIDTH, height - 16, strokeColor=RULE, strokeWidth=0.6))
    return drawing
