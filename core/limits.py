"""The bounds on what anyone can enter, and the characters no text may hold.

One place for the numbers (docs/limits.md explains them): the assessment document
(assessments/document.py), the forms and the request middleware all read them from here,
so a page and an import refuse the same input. Plain Python, so the document's models stay
free of Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Text -----------------------------------------------------------------------------------

# The longest narrative of the published 2023 Mississippi card has under 2,000 characters;
# ten times that leaves room for any real analysis and bounds what a page or PDF lays out.
NARRATIVE_MAX_CHARS = 20_000
# Any other passage of prose: a quote, a footnote, a recommendation, a summary (the longest
# of the 2023 card is a 3,400-character quote).
TEXT_MAX_CHARS = 20_000
# One comment of a discussion thread: a remark, not a narrative (a page of prose).
COMMENT_MAX_CHARS = 5_000
# The full text of a statute, or of an appendix entry quoting one (the longest of the 2023
# card has 5,300 characters; whole acts run to tens of thousands).
STATUTE_TEXT_MAX_CHARS = 200_000
# One cell of a table printed with a goal (2023: under 300).
CELL_MAX_CHARS = 2_000
# What may be typed into the search box: a few words or a phrase, not a pasted passage
# (each word is one more condition on every group searched).
SEARCH_MAX_CHARS = 200

# A footnote's label: what a mark `[^label]` names and the card prints as its number (the
# narrative format, core/narrative.py): at most 8 characters, no spaces or square brackets.
FOOTNOTE_LABEL_MAX_CHARS = 8
FOOTNOTE_LABEL = rf"[^\]\s\[]{{1,{FOOTNOTE_LABEL_MAX_CHARS}}}"


def footnote_label_problem(label: str) -> str | None:
    """Why `label` cannot name a footnote the way a mark `[^label]` does, or None."""
    if re.fullmatch(FOOTNOTE_LABEL, label):
        return None
    return (
        f"a footnote label is at most {FOOTNOTE_LABEL_MAX_CHARS} characters, without spaces "
        "or square brackets: the 17 of the mark [^17]"
    )


# Parts of one goal ----------------------------------------------------------------------

# Citations, recommendations, insights, extra-credit awards and footnotes of one goal (2023:
# at most 5). Also caps the forms a crafted TOTAL_FORMS can make the editor build.
PARTS_MAX = 60
TABLES_MAX = 10  # per goal (2023: 1)
TABLE_COLUMNS_MAX = 12  # (2023: 6)
TABLE_ROWS_MAX = 200  # per table (2023: 3)

# Parts of one assessment ----------------------------------------------------------------

DETERMINATIONS_MAX = 200  # a framework has 40 goals; each must appear once
STATUTES_MAX = 2_000  # statutes, appendix entries, appropriations of one document
HIGHLIGHTS_MAX = 60
SCORES_MAX = 100  # historical scores, and areas per score

# Dates ----------------------------------------------------------------------------------

# When a law was enacted or took effect: the oldest state codes date from the 1780s, and no
# legislature dates a law a century ahead. Outside these years a date is a typing mistake
# (or a crafted import), not law.
LAW_YEAR_EARLIEST = 1776
LAW_YEAR_LATEST = 2199


def law_date_problem(value) -> str | None:
    """Why a law's enacted or effective date cannot be right, or None."""
    if value is not None and not LAW_YEAR_EARLIEST <= value.year <= LAW_YEAR_LATEST:
        return f"a law's date must fall between {LAW_YEAR_EARLIEST} and {LAW_YEAR_LATEST}"
    return None


# Files ----------------------------------------------------------------------------------

# An import file: the 2023 Mississippi file has 177 KB; this bounds what parsing costs.
FILE_MAX_BYTES = 5 * 1024 * 1024
# Objects and lists inside each other: the format needs 7 (a table row's cells).
NESTING_MAX = 16
# Rows of an assignment file (assign_work, the assignments page): 51 jurisdictions × 40
# goals is 2,040 when every goal is assigned on its own.
ASSIGNMENT_ROWS_MAX = 5_000

# Characters -----------------------------------------------------------------------------

# NUL and the other C0 control characters, and DEL, have no place in any text: PostgreSQL
# refuses NUL outright, and the PDF's paragraph markup cannot hold the others. A text of
# several lines keeps its tabs and line breaks.
CONTROL_CHARACTERS = frozenset(chr(code) for code in range(32)) | {"\x7f"}
_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` cannot be kept, naming its first control character; None when it can."""
    found = (_CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE).search(text)
    if found is None:
        return None
    return (
        f"contains the control character U+{ord(found.group()):04X}, which text cannot hold; "
        "remove it (it often comes from copying out of a PDF or a word processor)"
    )


@dataclass(frozen=True)
class TypedText:
    """A text typed into a workflow (a review comment, a restore reason, a discussion
    comment): its `name` in messages, what to say when it is empty, its length limit, and
    whether it may span lines."""

    name: str
    required: str
    max_chars: int
    multiline: bool = True

    def problem(self, text: str) -> str | None:
        """Why `text` cannot be kept (empty, too long, a control character); None when it
        can."""
        if not text:
            return self.required
        if len(text) > self.max_chars:
            return f"The {self.name} has {len(text):,} characters; at most {self.max_chars:,} fit."
        if problem := control_character_problem(text, multiline=self.multiline):
            return f"The {self.name} {problem}."
        return None


# Numbers in addresses and forms -----------------------------------------------------------

# Ids, years, versions and page numbers all fit a 32-bit integer column.
ID_MAX_DIGITS = 9


def whole_number(text: str | None) -> int | None:
    """The whole number written in `text` (ASCII digits only, at most ID_MAX_DIGITS of them),
    or None: "²" and "٣" pass str.isdigit() but not int(), and a 5,000-digit string is no id."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= ID_MAX_DIGITS:
        return int(text)
    return None
