"""The analysis report: per issue, per policy goal the status, narrative with block-quoted
statutes and tables, recommendations, insights from the field, extra credit and footnotes."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import HRFlowable

from assessments.scoring import fmt

from . import fonts, markup, texts
from .data import AppropriationRow, Goal, LabelledText, Quote, ReportCard
from .document import Heading, section_heading
from .scorecard import colour_hex
from .styles import BODY_HEIGHT, FRAME_WIDTH, PALE, RULE, STATUS_COLOURS, Styles
from .tables import determination_table, grid, unsplit_if_small

# The framework's appropriations goal: its table is built from the state's enacted
# appropriations (statutes.Appropriation), not typed into the determination.
APPROPRIATIONS_GOAL = "3.6"
# The room an issue's heading needs below the end of the previous issue (its heading,
# grade and the start of its first goal), else it starts the next page.
ISSUE_ROOM = BODY_HEIGHT / 4
BADGES = {"fully_met": "●", "partially_met": "●", "not_met": "○"}


def badge(goal: Goal, styles: Styles) -> Paragraph:
    colour = colour_hex(STATUS_COLOURS.get(goal.status, RULE))
    symbol = BADGES.get(goal.status, "○")
    return Paragraph(
        f'<font color="{colour}">{symbol} {escape(goal.status_label.upper())}</font>',
        styles.badge,
    )


def quote_block(quote: Quote, styles: Styles) -> list[Flowable]:
    flowables = markup.to_flowables(quote.text, styles.quote)
    if not flowables:
        return []
    source = f"{quote.citation}{quote.pinpoint}"
    if quote.caption:
        source += f" ({quote.caption})"
    return [Spacer(1, 2), *flowables, markup.paragraph(f"— {source}", styles.quote_source)]


def amount(value) -> str:
    whole = value == value.to_integral()
    return f"${value:,.0f}" if whole else f"${value:,.2f}"


def amount_marker(row: AppropriationRow) -> str:
    return markup.marker(row.amount_footnote) if row.amount_footnote else ""


def appropriations_table(rows: tuple[AppropriationRow, ...], year: int, styles: Styles):
    head, cell = styles.cell_head, styles.cell
    title = [Paragraph(f"{year} Appropriations", head), "", "", "", ""]
    header = [
        Paragraph(text, head)
        for text in ("Bill", "Recipient", "Amount", "Intended Purpose", "Term")
    ]
    body = [
        [
            Paragraph(f"<b>{markup.inline(row.bill)}</b><br/>{markup.inline(row.session)}", cell),
            markup.paragraph(row.recipient, cell),
            Paragraph(escape(amount(row.amount)) + amount_marker(row), cell),
            markup.paragraph(row.purpose, cell),
            Paragraph(f"{markup.inline(row.term)}<br/>{markup.inline(row.term_note)}", cell),
        ]
        for row in rows
    ]
    widths = [FRAME_WIDTH * share for share in (0.15, 0.19, 0.13, 0.38, 0.15)]
    return unsplit_if_small(
        grid(
            [title, header, *body],
            widths,
            header_rows=2,
            extra=[("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 1), (-1, 1), PALE)],
        )
    )


def _resolver(goal: Goal, styles: Styles):
    def resolve(kind: str, number: int):
        if kind == "quote" and 1 <= number <= len(goal.quotes):
            return quote_block(goal.quotes[number - 1], styles)
        if kind == "table" and 1 <= number <= len(goal.tables):
            return [
                Spacer(1, 4),
                *determination_table(goal.tables[number - 1], styles),
                Spacer(1, 8),
            ]
        return None  # an unknown placeholder prints as written, for the analyst to see

    return resolve


def footnotes(notes, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    for note in notes:
        flowables += markup.to_flowables(
            note.text, styles.footnote, prefix=markup.marker(note.label) + " "
        )
    return flowables


def goal_section(goal: Goal, card: ReportCard, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        CondPageBreak(90),
        Heading(
            f"Policy Goal {escape(goal.number)} "
            f'<font name="{fonts.REGULAR}">{markup.inline(goal.marked_title or goal.text)}</font>',
            styles.goal,
            outline=(f"goal-{goal.number}", f"Policy Goal {goal.number}", 2),
        ),
        badge(goal, styles),
        Spacer(1, 3),
    ]
    story += markup.to_flowables(goal.narrative, styles.body, resolve=_resolver(goal, styles))
    if goal.number == APPROPRIATIONS_GOAL and card.appropriations:
        story += [
            Spacer(1, 4),
            appropriations_table(card.appropriations, card.year, styles),
            Spacer(1, 8),
        ]
    for position, text in enumerate(goal.recommendations, start=1):
        label = f"<b>{escape(goal.number)}.{position} Recommendation:</b> "
        story.append(
            Paragraph(label + markup.inline(card.with_issue_brief_links(text)), styles.body)
        )
    if goal.insights:
        story.append(Paragraph("INSIGHTS FROM THE FIELD", styles.label))
        for insight in goal.insights:
            quote = markup.to_flowables(f"“{insight.text}”", styles.insight)
            attribution = markup.paragraph(f"-{insight.label}", styles.attribution)
            story.append(KeepTogether([*quote, attribution]))
    if goal.awards:
        story.append(Paragraph("EXTRA CREDIT", styles.label))
        for award in goal.awards:
            story.append(markup.paragraph(f"**{award.label}**", styles.award))
            story += markup.to_flowables(award.text, styles.body)
    if goal.footnotes:
        notes = footnotes(goal.footnotes, styles)
        # The rule belongs to the notes: never leave it alone at the foot of a page.
        story += [Spacer(1, 2), KeepTogether([_rule(), notes[0]]), *notes[1:]]
    return story


def _rule() -> Flowable:
    return HRFlowable(
        width="30%", thickness=0.5, color=RULE, hAlign="LEFT", spaceBefore=2, spaceAfter=4
    )


def analysis_section(card: ReportCard, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [section_heading("analysis", styles)]
    marker = "[^1]" if card.analysis_footnote.strip() else ""
    story.append(
        markup.paragraph(
            texts.ANALYSIS_INTRO.format(name=card.jurisdiction, marker=marker), styles.body
        )
    )
    if guide := card.framework.texts.analysis_guide:
        story += markup.to_flowables(guide, styles.body)
    if marker:
        story += [_rule(), *footnotes([LabelledText("1", card.analysis_footnote)], styles)]
    for issue in card.issues:
        title = f"Issue {issue.number}: {issue.title}"
        story += [
            # An issue starts on the page the last one ends on when a good part of it is
            # left, not on a page of its own.
            CondPageBreak(ISSUE_ROOM),
            Spacer(1, 14),
            Heading(
                f"ISSUE {issue.number}: {markup.inline(issue.heading)}",
                styles.issue,
                outline=(f"issue-{issue.number}", title, 1),
            ),
            Paragraph(
                f"Grade {escape(issue.grade)} · {fmt(issue.score)} of {fmt(issue.max)} points",
                styles.small,
            ),
        ]
        for goal in issue.goals:
            story += goal_section(goal, card, styles)
    return story
