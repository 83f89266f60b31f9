"""The one-page report card (grades, scores, highlights, chart) and the Safe Harbor scorecard."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.colors import white
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from assessments.scoring import fmt, ordinal, tier_label

from . import fonts, markup, texts
from .chart import issue_chart
from .data import ReportCard
from .document import Heading, section_heading
from .framework_texts import resource
from .styles import (
    ACCENT,
    FRAME_WIDTH,
    GRADE_COLOURS,
    GREY,
    NAVY,
    PALE,
    STATUS_COLOURS,
    Styles,
)
from .tables import FONT, grid

# Issue, Grade, Score, Max, Summary
ISSUE_WIDTHS = [FRAME_WIDTH * share for share in (0.215, 0.065, 0.065, 0.065, 0.59)]


def colour_hex(colour) -> str:
    return "#" + colour.hexval()[2:]


def tier_name(tier: int) -> str:
    return tier_label(tier).upper()


TILE_WIDTH = 1.45 * 72
GAP = 14


def layout(rows, widths, *extra) -> Table:
    """An invisible table used only to place blocks side by side."""
    table = Table(rows, colWidths=widths, splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                *extra,
            ]
        )
    )
    return table


def _grade_tile(card: ReportCard) -> Table:
    small = ParagraphStyle(
        "grade-small", fontName=fonts.BOLD, fontSize=7.5, leading=10, textColor=white, alignment=1
    )
    big = ParagraphStyle("grade-big", parent=small, fontSize=40, leading=42)
    score = ParagraphStyle("grade-score", parent=small, fontSize=15, leading=18)
    tier = ParagraphStyle("grade-tier", parent=small, fontSize=10, leading=13)
    rank = f"RANKED {ordinal(card.rank).upper()}{' (TIE)' if card.tied else ''}"
    rows = [
        [Paragraph("OVERALL GRADE", small)],
        [Paragraph(escape(card.grade), big)],
        [Paragraph(fmt(card.total), score)],
        [Paragraph(tier_name(card.tier), tier)],
        [Paragraph(rank, small)],
    ]
    return layout(
        rows,
        [TILE_WIDTH],
        ("BACKGROUND", (0, 0), (-1, -1), GRADE_COLOURS.get(card.grade, NAVY)),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
    )


def _title(card: ReportCard, styles: Styles) -> Heading:
    name = ParagraphStyle("rc-name", parent=styles.title, fontSize=21, leading=26, spaceAfter=4)
    return Heading(
        f"{escape(fonts.printable(card.jurisdiction.upper()))} "
        f'<font size="14" color="{colour_hex(ACCENT)}">{card.year} Report Card</font>',
        name,
        outline=("report-card", "Report Card", 0),
    )


def _highlights_and_safe_harbor(card: ReportCard, styles: Styles) -> list[Flowable]:
    highlight = ParagraphStyle(
        "highlight", parent=styles.small, fontSize=8, leading=10.5, leftIndent=9, spaceAfter=2
    )
    status = ParagraphStyle("status", parent=highlight, leftIndent=0)
    left: list[Flowable] = []
    if card.highlights:
        left.append(Paragraph("STATE HIGHLIGHTS:", styles.label))
        left += [
            Paragraph(markup.inline(text), highlight, bulletText="•") for text in card.highlights
        ]
    right: list[Flowable] = []
    if card.safe_harbor_status.strip():
        right.append(Paragraph("SAFE HARBOR STATUS:", styles.label))
        right += markup.to_flowables(card.safe_harbor_status, status)
    if not (left or right):
        return []
    width = FRAME_WIDTH - GAP
    return [layout([[left, "", right]], [width * 0.56, GAP, width * 0.44])]


def _issue_table(card: ReportCard, styles: Styles) -> Table:
    # A notch smaller than other tables: the whole report card should fit one page.
    cell = ParagraphStyle("rc-cell", parent=styles.cell, fontSize=7.5, leading=9.4)
    head = ParagraphStyle("rc-head", parent=styles.cell_head, fontSize=7.5, leading=9.4)
    centre = ParagraphStyle("rc-centre", parent=styles.cell_center, fontSize=8, leading=9.4)
    bold_centre = ParagraphStyle("cell-bold-centre", parent=centre, fontName=fonts.BOLD)
    bold_small = ParagraphStyle("cell-bold-small", parent=bold_centre, fontSize=6.5)
    grade_style = ParagraphStyle("cell-grade", parent=bold_centre, fontSize=11, leading=13)

    def grade_cell(grade: str) -> Paragraph:
        colour = colour_hex(GRADE_COLOURS.get(grade, NAVY))
        return Paragraph(f'<font color="{colour}">{escape(grade)}</font>', grade_style)

    rows = [
        [
            Paragraph("Issue", head),
            Paragraph("Grade", bold_small),
            Paragraph("Score", bold_small),
            Paragraph("Max", bold_small),
            Paragraph("Summary", head),
        ]
    ]
    for issue in card.issues:
        rows.append(
            [
                markup.paragraph(f"{issue.number}. {issue.title}", head),
                grade_cell(issue.grade),
                Paragraph(fmt(issue.score), centre),
                Paragraph(fmt(issue.max), centre),
                markup.paragraph(issue.summary, cell),
            ]
        )
    extra_start = len(rows)
    # Extra credit has no grade or maximum of its own; only the total is capped.
    for line in card.extra_credit:
        rows.append(
            [
                Paragraph(
                    f'<font size="6" color="{colour_hex(GREY)}">EXTRA CREDIT</font><br/>'
                    + markup.inline(line.label),
                    head,
                ),
                "",
                Paragraph(fmt(line.points), centre),
                "",
                markup.paragraph(line.summary, cell),
            ]
        )
    rows.append(
        [
            Paragraph("OVERALL GRADE", head),
            grade_cell(card.grade),
            Paragraph(f"<b>{fmt(card.total)}</b>", centre),
            Paragraph(fmt(card.framework.total_max), centre),
            Paragraph(f"<b>{tier_name(card.tier)}</b>", cell),
        ]
    )
    last = len(rows) - 1
    return grid(
        rows,
        ISSUE_WIDTHS,
        extra=[
            ("LINEABOVE", (0, extra_start), (-1, extra_start), 1, NAVY),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("BACKGROUND", (0, last), (-1, last), PALE),
            ("LINEABOVE", (0, last), (-1, last), 1, NAVY),
            ("VALIGN", (1, 1), (3, -1), "MIDDLE"),
        ],
    )


def report_card_page(card: ReportCard, styles: Styles) -> list[Flowable]:
    chart_width = FRAME_WIDTH - TILE_WIDTH - GAP
    basis = ParagraphStyle("basis", parent=styles.small, fontSize=7.5, leading=9.5)
    return [
        _title(card, styles),
        layout(
            [[_grade_tile(card), "", issue_chart(card.issues, chart_width)]],
            [TILE_WIDTH, GAP, chart_width],
        ),
        Spacer(1, 8),
        markup.paragraph(texts.GRADES_BASIS, basis),
        *_highlights_and_safe_harbor(card, styles),
        Spacer(1, 8),
        _issue_table(card, styles),
    ]


def _safe_harbor_row(goal, card: ReportCard, styles: Styles) -> list[Paragraph]:
    colour = colour_hex(STATUS_COLOURS.get(goal.status, NAVY))
    status = Paragraph(
        f'<font color="{colour}"><b>{escape(goal.status_label)}</b></font>', styles.cell
    )
    text = goal.text.rstrip().rstrip(".")
    see = (
        f" (see Policy Goal {goal.number} for further analysis and Issue Brief {goal.number} "
        "for background)."
    )
    return [status, markup.paragraph(card.with_issue_brief_links(text + see), styles.cell)]


def _safe_harbor_explainer(styles: Styles) -> Table:
    """What, why and what the laws should do, in three columns, as on the published page."""
    text = ParagraphStyle("explainer", parent=styles.small, fontSize=8, leading=10.8)
    columns = [
        [Paragraph(title, styles.label), markup.paragraph(body, text)]
        for title, body in (
            ("WHAT IS SAFE HARBOR?", texts.SAFE_HARBOR_WHAT),
            ("WHY SAFE HARBOR?", texts.SAFE_HARBOR_WHY),
            ("SAFE HARBOR LAWS", texts.SAFE_HARBOR_LAWS),
        )
    ]
    # Shares follow the texts' lengths so the three columns end at about the same height.
    width = FRAME_WIDTH - 2 * GAP
    widths = [width * 0.27, GAP, width * 0.31, GAP, width * 0.42]
    return layout([[columns[0], "", columns[1], "", columns[2]]], widths)


def safe_harbor_section(card: ReportCard, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        section_heading("safe-harbor", styles),
        _safe_harbor_explainer(styles),
        Spacer(1, 10),
    ]
    goals = [goal for goal in card.goals if goal.safe_harbor]
    if goals:
        header = [
            Paragraph("Status", styles.cell_head),
            Paragraph("Safe Harbor Policy Goal", styles.cell_head),
        ]
        rows = [header, *(_safe_harbor_row(goal, card, styles) for goal in goals)]
        story.append(grid(rows, [FRAME_WIDTH * 0.14, FRAME_WIDTH * 0.86]))
    # A notch smaller than the body, like the explainer: the scorecard is one page.
    text = ParagraphStyle("sh-text", parent=styles.small, fontSize=8, leading=10.8)
    story.append(Paragraph("STATE SUMMARY:", styles.label))
    story += markup.to_flowables(card.safe_harbor_summary, text)
    for item in card.framework.texts.safe_harbor_resources:
        story += resource(item, text, styles.label)
    return story
