"""The embedded DejaVu Sans family and what it can print.

The TTF files ship beside this module (ttf/) so a PDF looks the same on every machine (they
are for ReportLab, not for browsers, so they are not static files); ReportLab's
built-in Helvetica has no § ● ○ or curly quotes in its WinAnsi subset that we could rely on.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

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
    return Path(__file__).resolve().parent / "ttf"


def register() -> None:
    """Register the four faces and the family with ReportLab unless they already are:
    registering parses the font files, and ReportLab keeps fonts for the process's life."""
    if set(FACES) <= set(pdfmetrics.getRegisteredFontNames()):
        return
    for face in FACES:
        pdfmetrics.registerFont(TTFont(face, str(font_dir() / f"{face}.ttf")))
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


# Each pattern is made once per process: it is a scan of 65,536 code points of font data
# that never changes while the process runs.


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
