"""A Platypus Paragraph that parses plain text without the XML parser and breaks its lines
once per width. Both shortcuts produce exactly what Platypus would; the PDF is byte-identical.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as PlatypusParagraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag

# The run of plain text Platypus makes for a style: parsed once per style object, so the
# key is the object itself (weakly held: styles built for one render may go).
_plain_runs: WeakKeyDictionary[ParagraphStyle, ParaFrag] = WeakKeyDictionary()


def is_plain(markup: str) -> bool:
    """No tags and no entities: the parser would return the text as one run of the style."""
    return "<" not in markup and "&" not in markup


def plain_run(style: ParagraphStyle) -> ParaFrag:
    run = _plain_runs.get(style)
    if run is None:
        [run] = PlatypusParagraph("x", style).frags
        _plain_runs[style] = run
    return run


def plain_frags(text: str, style: ParagraphStyle) -> list[ParaFrag]:
    """What the parser makes of plain text: one run with the style's font and colour. Its
    lists (links, underlines) are copied, as each parsed paragraph has lists of its own."""
    run = plain_run(style)
    frag = run.clone(text=text)
    for name, value in vars(run).items():
        if isinstance(value, list):
            setattr(frag, name, list(value))
    return [frag]


class Paragraph(PlatypusParagraph):
    _lines_for_width: tuple | None = None  # (width, blPara, height) of the last line breaking

    def __init__(self, text, style=None, bulletText=None, frags=None, **kwargs):
        # Three paragraphs in four are plain text (statute quotes, narratives, labels), and
        # feeding each through ReportLab's HTMLParser-based parser was most of the cost of
        # building the story.
        if frags is None and style is not None and not style.textTransform and is_plain(text):
            cleaned = cleanBlockQuotedText(text)
            if cleaned:  # the parser makes no run at all of empty text
                text, frags = cleaned, plain_frags(cleaned, style)
        super().__init__(text, style, bulletText, frags, **kwargs)

    def wrap(self, available_width, available_height):
        """Platypus asks a paragraph for its size several times at the same width: a frame
        wraps it again after KeepTogether or keepWithNext measured it, and a table wraps
        every cell to size its rows, again when it splits across pages and again to draw.
        Each call used to run the line breaker from scratch, though the lines depend only
        on the width (text and style never change), and line breaking is the largest cost
        of a render. So the lines of the last width are remembered and reused (one width
        is enough: a paragraph is measured at the width it is then drawn at)."""
        remembered = self._lines_for_width
        if remembered is not None and remembered[0] == available_width:
            width, self.blPara, self.height = remembered
            self.width = width
            return width, self.height
        before = getattr(self, "blPara", None)
        size = super().wrap(available_width, available_height)
        lines = getattr(self, "blPara", None)
        # A width too narrow to print in breaks no lines: nothing new to remember.
        if lines is not None and lines is not before:
            self._lines_for_width = (available_width, lines, self.height)
        return size
