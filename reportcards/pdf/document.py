"""The page furniture of the report card: page templates, running header, page numbers,
watermark and notices, PDF metadata and the outline (bookmarks)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from . import fonts, texts
from .data import ReportCard
from .styles import (
    ACCENT,
    BODY_HEIGHT,
    FRAME_WIDTH,
    GREY,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    NAVY,
    PAGE_SIZE,
    RULE,
    WATERMARK,
    Styles,
)

PAGE_WIDTH, PAGE_HEIGHT = PAGE_SIZE
SECTION_TITLES = dict(texts.SECTIONS)
COVER_BAND = 0.56 * PAGE_HEIGHT

# Streams are zlib-compressed binary, without the ASCII85 text layer ReportLab adds by
# default (a larger file, for 7-bit channels nobody sends PDFs through any more). The
# setting is process-wide, but this package is the project's only ReportLab user.
rl_config.useA85 = 0


class Heading(Paragraph):
    """A paragraph that adds itself to the PDF outline where it is drawn.

    The entry is made in draw(), not by a separate marker flowable, so it always points
    at the page the heading actually landed on.
    """

    def __init__(self, text, style=None, *args, outline=None, **kwargs):
        super().__init__(text, style, *args, **kwargs)
        self.outline = outline  # (destination key, title, level)

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        if parts:
            parts[0].outline = self.outline
        return parts

    def draw(self):
        super().draw()
        if self.outline:
            key, title, level = self.outline
            self.canv.bookmarkHorizontal(key, 0, self.height + 8)
            self.canv.addOutlineEntry(fonts.printable(title), key, level=level, closed=level > 0)
            if key in SECTION_TITLES:
                _page_number_form(self.canv, key)


# The contents page lists each section's page number before the section is laid out: it
# draws a named form there (ContentsPageNumber), and the form is written when the section's
# heading is drawn, once its page is known. One layout pass, no second build.
CONTENTS_NUMBER_SIZE = 11


def _contents_form(key: str) -> str:
    return f"contents-page-{key}"


def _page_number_form(canvas, key: str) -> None:
    canvas.beginForm(_contents_form(key), lowerx=-80, lowery=-4, upperx=0, uppery=16)
    canvas.setFont(fonts.BOLD, CONTENTS_NUMBER_SIZE)
    canvas.setFillColor(NAVY)
    canvas.drawRightString(0, 0, str(canvas.getPageNumber()))
    canvas.endForm()


class ContentsPageNumber(Flowable):
    """The page a section starts on, right-aligned in the width it is given."""

    def __init__(self, key: str, height: float):
        super().__init__()
        self.key = key
        self.line_height = height

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.line_height

    def draw(self):
        self.canv.saveState()
        self.canv.translate(self.width, (self.line_height - CONTENTS_NUMBER_SIZE) / 2)
        self.canv.doForm(_contents_form(self.key))
        self.canv.restoreState()


def section_heading(key: str, styles: Styles) -> Heading:
    """The heading of one of texts.SECTIONS, bookmarked under the key the contents link to."""
    title = SECTION_TITLES[key]
    return Heading(escape(title), styles.section, outline=(key, title, 0))


def running_title(card: ReportCard) -> str:
    return f"{card.year} Report Card · {card.jurisdiction}"


def _day(date) -> str:
    return f"{date:%B} {date.day}, {date.year}"


def edition_line(card: ReportCard) -> str:
    """Which version this is, when it was published, and the law it grades."""
    law = f"law enacted as of {_day(card.as_of)}"
    if card.edition is None:
        return f"Preview (not published) · {law}"
    edition = card.edition
    return f"Version {edition.version} · published {_day(edition.published_on)} · {law}"


def document_options(title: str) -> dict:
    """What every PDF of the project shares (report cards, survey charts, the toolkit): the
    page and its margins, the embedded font, the metadata and the same bytes for the same
    data."""
    return {
        "pagesize": PAGE_SIZE,
        "leftMargin": MARGIN_X,
        "rightMargin": MARGIN_X,
        "topMargin": MARGIN_TOP,
        "bottomMargin": MARGIN_BOTTOM,
        "title": title,
        "author": "Report Cards",
        "creator": "Report Cards",
        "lang": "en-US",
        "displayDocTitle": 1,
        # Otherwise the canvas starts in Helvetica, an unembedded font in every PDF.
        "initialFontName": fonts.REGULAR,
        # Same data, same bytes: no wall-clock dates, no random document ID.
        "invariant": 1,
    }


def notice_lines(card: ReportCard, *, draft: bool) -> list[str]:
    """What every page of the card warns of: a draft, synthetic data, an illustrative
    framework (the PDF's foot of each page, the HTML edition's top)."""
    notices = []
    if draft:
        notices.append(texts.DRAFT_NOTICE)
    if card.synthetic:
        notices.append(texts.SYNTHETIC_NOTICE.format(name=card.jurisdiction))
    if card.framework.illustrative:
        notices.append(texts.ILLUSTRATIVE_NOTICE.format(name=card.framework.name))
    return notices


class ReportCardTemplate(BaseDocTemplate):
    def __init__(self, buffer, card: ReportCard, *, draft: bool, cover, on_page=None):
        fonts.register()
        self.card = card
        self.on_page = on_page  # called after each page, e.g. a background job's heartbeat
        self.draft = draft
        self.cover = cover  # draws the cover band; it lives with the cover section
        super().__init__(
            buffer,
            **document_options(f"{running_title(card)}: {texts.TITLE}"),
            subject=(
                f"{card.jurisdiction}’s {card.year} grade, scores and analysis of state law on "
                "child and youth sex trafficking"
            ),
            keywords=[card.code, str(card.year), "report card", "sex trafficking"],
        )
        body = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, BODY_HEIGHT, id="body", **_no_padding())
        below_band = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_WIDTH,
            PAGE_HEIGHT - COVER_BAND - MARGIN_BOTTOM - 24,
            id="cover",
            **_no_padding(),
        )
        self.addPageTemplates(
            [
                PageTemplate("cover", [below_band], onPage=self._cover_page),
                PageTemplate("body", [body], onPage=self._body_page),
            ]
        )

    def beforeDocument(self):
        stamp = self.card.as_of.strftime("D:%Y%m%d000000+00'00'")
        self.canv.setDateFormatter(lambda *_: stamp)
        self.canv.showOutline()

    def afterPage(self):
        if self.on_page is not None:
            self.on_page()

    def _cover_page(self, canvas, doc):
        canvas.saveState()
        self.cover(canvas, self.card)
        canvas.restoreState()
        self._notices(canvas)

    def _body_page(self, canvas, doc):
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN_TOP + 22
        canvas.setFont(fonts.BOLD, 8)
        canvas.setFillColor(NAVY)
        canvas.drawString(MARGIN_X, top, fonts.printable(running_title(self.card)))
        canvas.setFont(fonts.REGULAR, 8)
        canvas.setFillColor(GREY)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, texts.TITLE)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top - 6, PAGE_WIDTH - MARGIN_X, top - 6)
        canvas.setFont(fonts.REGULAR, 8)
        canvas.setFillColor(GREY)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, MARGIN_BOTTOM - 30, f"Page {doc.page}")
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, MARGIN_BOTTOM - 40, edition_line(self.card))
        canvas.restoreState()
        self._notices(canvas)

    def _notices(self, canvas):
        """DRAFT watermark and the synthetic-data and illustrative-framework lines, on every
        page including the cover."""
        canvas.saveState()
        if self.draft:
            canvas.setFillColor(WATERMARK)
            canvas.setFont(fonts.BOLD, 120)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -40, "DRAFT")
            canvas.rotate(-45)
            canvas.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)
        notices = notice_lines(self.card, draft=self.draft)
        canvas.setFont(fonts.BOLD, 8)
        canvas.setFillColor(ACCENT)
        for line, text in enumerate(notices):
            canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 30 - 10 * line, fonts.printable(text))
        canvas.restoreState()


def _no_padding() -> dict:
    return {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
