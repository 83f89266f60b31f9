"""The embedded DejaVu Sans family and what it can print.

The TTF files ship in static/fonts/ so a PDF looks the same on every machine; ReportLab's
built-in Helvetica has no § ● ○ or curly quotes in its WinAnsi subset that we could rely on.
Registration parses ~2.7 MB of font data, so it happens once per process.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import groupby
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
FACES = (REGULAR, BOLD, ITALIC, BOLD_ITALIC)
REPLACEMENT = "\ufffd"


def font_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / "fonts"


class SubsetFont(TTFont):
    """DejaVu as ReportLab embeds it, with a quicker way to write text in it.

    Every string drawn goes through splitString, which maps each character to its code in
    the document's font subsets, assigning codes to characters seen for the first time.
    ReportLab does it one character at a time in Python: about a tenth of a render.
    Once a document has used a string's characters (almost always: the body text uses a
    few hundred), their codes are a plain dictionary lookup, done here in one pass; a string
    with a new or undrawable character takes ReportLab's own path, which assigns the code.
    The chunks returned are exactly ReportLab's, so the PDF is unchanged.
    """

    def splitString(self, text, doc, encoding="utf-8"):
        state = self.state.get(doc)
        if state is None or not isinstance(text, str):
            return super().splitString(text, doc, encoding)
        assignments = state.assignments
        try:
            # ReportLab prints a no-break space as a space.
            codes = [assignments[code] for code in map(ord, text.replace("\xa0", " "))]
        except KeyError:
            return super().splitString(text, doc, encoding)
        return _chunks_by_subset(codes)


def _chunks_by_subset(codes: list[int]) -> list[tuple[int, bytes]]:
    """(subset, bytes) for each run of codes in the same 256-code subset."""
    if not codes:
        return []
    if max(codes) < 256:  # the usual case: everything in the first subset
        return [(0, bytes(codes))]
    return [
        (subset, bytes(code & 0xFF for code in run))
        for subset, run in groupby(codes, key=lambda code: code >> 8)
    ]


@cache
def register() -> None:
    for face in FACES:
        pdfmetrics.registerFont(SubsetFont(face, str(font_dir() / f"{face}.ttf")))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )


def _gaps(*faces: str) -> re.Pattern:
    """A character class of everything the faces cannot all draw.

    Characters beyond the Basic Multilingual Plane are always gaps: besides DejaVu lacking
    emoji, ReportLab writes their ToUnicode entries as odd-length hex that readers reject.
    Tabs and newlines are left alone; markup turns them into spaces itself.
    """
    register()
    covered = set.intersection(
        *(set(pdfmetrics.getFont(face).face.charToGlyph) for face in faces)
    ) | {0x09, 0x0A, 0x0D}
    ranges, start = [], None
    for code in range(0x10000):
        if code not in covered and start is None:
            start = code
        elif code in covered and start is not None:
            ranges.append((start, code - 1))
            start = None
    if start is not None:
        ranges.append((start, 0xFFFF))
    parts = [
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    ]
    return re.compile("[" + "".join(parts) + "\U00010000-\U0010ffff]")


@cache
def upright_gaps() -> re.Pattern:
    return _gaps(REGULAR, BOLD)


@cache
def italic_gaps() -> re.Pattern:
    """Arabic, among others, exists only upright in DejaVu Sans."""
    return _gaps(ITALIC, BOLD_ITALIC)


def printable(text: str) -> str:
    """`text` with every character the fonts cannot draw replaced by U+FFFD (�)."""
    return upright_gaps().sub(REPLACEMENT, text)
