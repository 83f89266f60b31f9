"""The State Survey Chart of one goal and the national toolkit as PDFs (ReportLab Platypus,
public API only), laid out with the report card's fonts, colours and grid tables.

Both print what reportcards/survey.py computed from the released cards; same data, same
bytes (no wall-clock dates, no random document ID).
"""

from __future__ import annotations

import datetime
import io
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from assessments.scoring import fmt

from .. import toolkit_text
from ..survey import SurveyChart, Toolkit
from . import fonts
from .document import document_options
from .styles import (
    FRAME_WIDTH,
    GREY,
    MARGIN_BOTTOM,
    MARGIN_X,
    PAGE_SIZE,
    STATUS_COLOURS,
    Styles,
    styles,
)
from .tables import grid

FOOTER = "Report Cards on Child & Youth Sex Trafficking"


def _text(value: str) -> str:
    return escape(fonts.printable(value))


def _footer(canvas, doc):
    canvas.saveState()
    canvas.setFont(fonts.REGULAR, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 30, fonts.printable(doc.title))
    canvas.drawRightString(PAGE_SIZE[0] - MARGIN_X, MARGIN_BOTTOM - 30, f"Page {doc.page}")
    canvas.restoreState()


def _build(story: list, *, title: str, as_of: datetime.date) -> bytes:
    fonts.register()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, **document_options(title))
    stamp = as_of.strftime("D:%Y%m%d000000+00'00'")
    document.beforeDocument = lambda: document.canv.setDateFormatter(lambda *_: stamp)
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def survey_chart_title(chart: SurveyChart) -> str:
    return f"{chart.year} State Survey Chart: Policy Goal {chart.number}"


def _status(row, style) -> Paragraph:
    colour = STATUS_COLOURS[row.status].hexval()[2:]
    return Paragraph(f'<font color="#{colour}"><b>{_text(row.status_label)}</b></font>', style)


def survey_chart_pdf(chart: SurveyChart, *, as_of: datetime.date) -> bytes:
    """Every jurisdiction's status, points and cited statutes for the goal, by name."""
    s = styles()
    counts = "; ".join(f"{label}: {count}" for label, count in chart.counts)
    rows = [
        [
            Paragraph(heading, s.cell_head)
            for heading in ("Jurisdiction", "Status", "Points", "Statutes")
        ]
    ]
    for row in chart.rows:
        rows.append(
            [
                Paragraph(_text(row.jurisdiction), s.cell),
                _status(row, s.cell),
                Paragraph(f"{fmt(row.points)} of {fmt(row.max_points)}", s.cell),
                Paragraph("<br/>".join(_text(c) for c in row.citations) or "—", s.cell),
            ]
        )
    story = [
        Paragraph(_text(survey_chart_title(chart)), s.section),
        Paragraph(f"Issue {chart.issue_number}: {_text(chart.issue_title)}", s.label),
        Paragraph(_text(chart.text), s.body),
        Paragraph(_text(counts), s.small),
        Spacer(1, 6),
        grid(rows, _widths(0.24, 0.16, 0.12, 0.48)),
    ]
    return _build(story, title=survey_chart_title(chart), as_of=as_of)


def _widths(*shares: float) -> list[float]:
    return [FRAME_WIDTH * share for share in shares]


def toolkit_title(toolkit: Toolkit) -> str:
    return f"{toolkit.methodology.year} National Toolkit"


def _table(headings: tuple[str, ...], rows: list[tuple[str, ...]], s: Styles, shares):
    cells = [[Paragraph(_text(h), s.cell_head) for h in headings]]
    cells += [[Paragraph(_text(value), s.cell) for value in row] for row in rows]
    return grid(cells, _widths(*shares))


def toolkit_pdf(toolkit: Toolkit) -> bytes:
    """The national summary and the methodology it was graded by."""
    s = styles()
    method = toolkit.methodology
    story = [
        Paragraph(_text(toolkit_title(toolkit)), s.title),
        Paragraph("National summary", s.section),
        Paragraph(_text(toolkit_text.national_average_line(toolkit)), s.body),
        _table(
            ("Issue area", "Average", "Maximum", "Share"),
            toolkit_text.issue_average_rows(toolkit),
            s,
            (0.55, 0.15, 0.15, 0.15),
        ),
        Spacer(1, 10),
        Paragraph("Grade distribution", s.issue),
        _table(("Grade", "Jurisdictions"), toolkit_text.grade_rows(toolkit), s, (0.3, 0.3)),
        Paragraph("Methodology", s.section),
        *(Paragraph(_text(line), s.body) for line in toolkit_text.methodology_lines(method)),
        Paragraph("Grading scale", s.issue),
        _table(("Grade", "Score of at least"), toolkit_text.scale_rows(method), s, (0.3, 0.3)),
        Paragraph("Issue areas", s.issue),
        _table(
            ("Issue area", "Policy goals", "Points"),
            toolkit_text.issue_area_rows(method),
            s,
            (0.6, 0.2, 0.2),
        ),
    ]
    return _build(story, title=toolkit_title(toolkit), as_of=method.cutoff)
