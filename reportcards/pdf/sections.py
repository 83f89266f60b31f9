"""The report card's sections in the order of the published report, and the cover."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)

from assessments.scoring import HUNDRED, fmt

from . import fonts, markup, texts
from .analysis import analysis_section, footnotes
from .data import ReportCard, heading_form
from .document import (
    COVER_BAND,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    ContentsPageNumber,
    Heading,
    section_heading,
)
from .framework_texts import paragraphs, resource
from .scorecard import colour_hex, layout, report_card_page, safe_harbor_section
from .styles import (
    ACCENT,
    BODY_HEIGHT,
    FRAME_WIDTH,
    GRADE_COLOURS,
    MARGIN_X,
    NAVY,
    PALE,
    Styles,
)
from .tables import grid


def draw_cover(canvas, card: ReportCard) -> None:
    """The navy band of the cover: year, jurisdiction, title and tagline."""
    canvas.setFillColor(NAVY)
    canvas.rect(0, PAGE_HEIGHT - COVER_BAND, PAGE_WIDTH, COVER_BAND, stroke=0, fill=1)
    canvas.setFillColor(ACCENT)
    canvas.rect(0, PAGE_HEIGHT - COVER_BAND - 8, PAGE_WIDTH, 8, stroke=0, fill=1)
    top = PAGE_HEIGHT - 1.3 * 72
    canvas.setFillColor(white)
    canvas.setFont(fonts.BOLD, 15)
    canvas.drawString(MARGIN_X, top, f"{card.year} REPORT")
    name = ParagraphStyle(
        "cover-name", fontName=fonts.BOLD, fontSize=46, leading=50, textColor=white
    )
    title = ParagraphStyle(
        "cover-title", fontName=fonts.REGULAR, fontSize=19, leading=24, textColor=white
    )
    tagline = ParagraphStyle(
        "cover-tagline",
        fontName=fonts.ITALIC,
        fontSize=13,
        leading=17,
        textColor=HexColor("#f2c9c4"),
    )
    y = top - 18
    for text, style in (
        (escape(fonts.printable(card.jurisdiction.upper())), name),
        (escape(texts.TITLE), title),
        (escape(texts.TAGLINE), tagline),
    ):
        paragraph = Paragraph(text, style)
        _, height = paragraph.wrap(FRAME_WIDTH, PAGE_HEIGHT)
        y -= height + 10
        paragraph.drawOn(canvas, MARGIN_X, y)


def cover(card: ReportCard, styles: Styles) -> list[Flowable]:
    heading = ParagraphStyle("contents-head", parent=styles.label, fontSize=12, spaceAfter=8)
    story: list[Flowable] = [
        Heading("CONTENTS", heading, outline=("cover", "Cover", 0)),
    ]
    rows = []
    for key, title in texts.SECTIONS:
        link = f'<a href="#{key}" color="{colour_hex(NAVY)}">{escape(title.upper())}</a>'
        rows.append([Paragraph(link, styles.contents), ContentsPageNumber(key, 20)])
    story.append(layout(rows, [FRAME_WIDTH - 60, 60]))
    if card.edition is not None and card.edition.errata:
        story.append(
            Paragraph(
                f"<b>ERRATA (version {card.edition.version}):</b> {escape(card.edition.errata)}",
                styles.body,
            )
        )
    return story


def _pic_table(card: ReportCard, styles: Styles):
    head, centre = styles.cell_head, styles.cell_center
    header = [Paragraph(text, head) for text in ("Year", "Score", "Grade")]
    area_style = ParagraphStyle("pic-area", parent=styles.cell, fontSize=7, leading=8.5)
    header += [Paragraph(escape(area), area_style) for area in texts.PIC_AREAS]
    rows = [header]
    for pic in card.pic_scores:
        colour = colour_hex(GRADE_COLOURS.get(pic.grade, NAVY))
        row = [
            Paragraph(f"<b>{pic.year}</b>", styles.cell),
            Paragraph(f"<b>{fmt(pic.score)}</b>", centre),
            Paragraph(f'<font color="{colour}"><b>{escape(pic.grade)}</b></font>', centre),
        ]
        row += [Paragraph(escape(f"{score} / {maximum}"), centre) for score, maximum in pic.areas]
        rows.append(row + [""] * (len(header) - len(row)))
    area_width = (FRAME_WIDTH - 3 * 36) / len(texts.PIC_AREAS)
    return grid(rows, [36, 36, 36] + [area_width] * len(texts.PIC_AREAS))


def history(card: ReportCard, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        section_heading("history", styles),
        *paragraphs(card.framework.texts.history_intro, styles.body),
        Paragraph(
            f"PROTECTED INNOCENCE CHALLENGE · {escape(fonts.printable(card.jurisdiction.upper()))}",
            styles.label,
        ),
    ]
    if card.pic_scores:
        story += [_pic_table(card, styles), Spacer(1, 8)]
    else:
        no_scores = (
            f"No Protected Innocence Challenge results are recorded for {card.jurisdiction}."
        )
        story.append(markup.paragraph(no_scores, styles.body))
    story += markup.to_flowables(card.historical_background, styles.body)
    framework_texts = card.framework.texts
    if framework_texts.shift_in_focus_heading:
        story.append(Paragraph(escape(framework_texts.shift_in_focus_heading), styles.label))
    story += paragraphs(framework_texts.shift_in_focus, styles.body)
    return story


def grade_scale(card: ReportCard) -> list[tuple[str, str]]:
    """("A", "90-110"), ("B", "80-89"), ... ("F", "<60") for the 2023 framework: the
    framework's grading scale in points of its base maximum."""
    facts = card.framework
    scale, upper, lowest = [], facts.total_max, None
    for letter, percent in facts.rules.scale.passing:
        lowest = percent * facts.base_max / HUNDRED
        scale.append((letter, f"{fmt(lowest)}-{fmt(upper)}"))
        upper = lowest - 1
    if lowest is None:  # a scale of one grade: every score earns it
        return [(facts.rules.scale.failing, f"0-{fmt(facts.total_max)}")]
    scale.append((facts.rules.scale.failing, f"<{fmt(lowest)}"))
    return scale


def framework(card: ReportCard, styles: Styles) -> list[Flowable]:
    facts = card.framework
    story: list[Flowable] = [section_heading("framework", styles)]
    if facts.texts.framework_heading:
        story.append(Paragraph(escape(facts.texts.framework_heading), styles.label))
    story += [
        Paragraph(f"{len(facts.issue_titles)} ISSUE AREAS IDENTIFIED:", styles.label),
    ]
    story += [
        Paragraph(escape(heading_form(title).upper()), styles.body, bulletText="▪")
        for title in facts.issue_titles
    ]
    story.append(Paragraph(f"{facts.goal_count} POLICY GOALS ANALYZED:", styles.label))
    per_goal = (
        f"States earn up to {fmt(facts.points_per_goal)} points per policy goal"
        if facts.points_per_goal is not None
        else "States earn points per policy goal"
    )
    story += [
        Paragraph(f"{escape(per_goal)}: {fmt(facts.base_max)} possible points", styles.body),
        Paragraph(f"{fmt(facts.total_max)} TOTAL POINTS AWARDED:", styles.label),
        *_extra_credit_line(facts, styles),
        Paragraph("FINAL LETTER GRADES ASSIGNED:", styles.label),
        _grade_scale_table(card, styles),
        Paragraph("TIER RANKING", styles.label),
        *paragraphs(facts.texts.tiers_intro, styles.body),
        Paragraph("THE TIERS ARE STRUCTURED AS FOLLOWS:", styles.label),
    ]
    tiers = facts.rules.tiers
    middle = max(card.jurisdiction_count - tiers.top - tiers.bottom, 0)
    for tier, text in (
        (1, f"TOP {tiers.top} SCORES"),
        (2, f"MIDDLE {middle} SCORES"),
        (3, f"BOTTOM {tiers.bottom} SCORES"),
    ):
        story.append(Paragraph(f"<b>TIER {tier}</b> = {text}", styles.body, bulletText="▶"))
    return story


def _extra_credit_line(facts, styles: Styles) -> list[Flowable]:
    """The framework's line on extra credit and its maximum; nothing for a framework
    without extra credit."""
    if not facts.extra_credit_cap:
        return []
    line = facts.texts.extra_credit_line or "Extra credit"
    return [
        Paragraph(f"{escape(line)}, plus up to {fmt(facts.extra_credit_cap)} points", styles.body)
    ]


def _grade_scale_table(card: ReportCard, styles: Styles):
    big = ParagraphStyle("scale", parent=styles.cell_center, fontSize=11, leading=15)
    cells = []
    for letter, span in grade_scale(card):
        colour = colour_hex(GRADE_COLOURS.get(letter, NAVY))
        cells.append(Paragraph(f'<font color="{colour}"><b>{letter}</b></font> | {span}', big))
    return grid(
        [cells],
        [FRAME_WIDTH / len(cells)] * len(cells),
        header_rows=0,
        extra=[
            ("BACKGROUND", (0, 0), (-1, -1), PALE),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ],
    )


def appendix(card: ReportCard, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [section_heading("appendix", styles)]
    if not card.appendix:
        story.append(markup.paragraph("No statutes are listed in this appendix.", styles.body))
    for index, group in enumerate(card.appendix, start=1):
        story.append(
            Heading(
                markup.inline(group.title),
                styles.issue,
                outline=(f"appendix-{index}", group.title, 1),
            )
        )
        for number, item in enumerate(group.items, start=1):
            caption = f" ({item.caption})" if item.caption else ""
            intro = f"**{number}.** {item.citation}{item.pinpoint}{caption} states,"
            story.append(markup.paragraph(intro, styles.body))
            story += markup.to_flowables(item.text, styles.quote)
            story += footnotes(item.footnotes, styles)
    return story


def resources(card: ReportCard, styles: Styles) -> list[Flowable]:
    """The framework's resources, then its calls to action (the 2023 petition)."""
    story: list[Flowable] = [section_heading("resources", styles)]
    framework_texts = card.framework.texts
    for item in (*framework_texts.resources, *framework_texts.calls_to_action):
        story += resource(item, styles.body, styles.label)
    return story


# The room a section that follows on from the previous one needs below it, else it
# starts the next page.
SECTION_ROOM = BODY_HEIGHT / 3


def story(card: ReportCard, styles: Styles) -> list[Flowable]:
    """Cover, historical background, framework, report card, Safe Harbor, analysis,
    appendix, resources: the published report's order. The sections up to the analysis
    each start a page; the appendix and the resources follow on where there is room."""
    flowables = [*cover(card, styles), NextPageTemplate("body"), PageBreak()]
    for section in (
        history(card, styles),
        framework(card, styles),
        report_card_page(card, styles),
        safe_harbor_section(card, styles),
    ):
        flowables += [*section, PageBreak()]
    flowables += analysis_section(card, styles)
    for section in (appendix(card, styles), resources(card, styles)):
        flowables += [CondPageBreak(SECTION_ROOM), Spacer(1, 18), *section]
    return flowables
