"""Reading a rendered report card as a reader would: its text, through pypdf."""

import io
import re

import pypdf

# A goal's heading and the first status after it (later mentions are cross-references).
GOAL_STATUS = re.compile(
    r"Policy Goal (\d+\.\d+) (?:(?!Policy Goal )[^●○])*?([●○] (?:FULLY|PARTIALLY|NOT) MET)"
)


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with runs of whitespace collapsed, so line breaks do not matter."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def printed_statuses(text: str) -> dict[str, str]:
    """{goal number: "● FULLY MET" …} as the analysis report (from ISSUE 1 on) prints them."""
    analysis = text[text.index("ISSUE 1: ") :]
    found = {}
    for number, status in GOAL_STATUS.findall(analysis):
        found.setdefault(number, status)
    return found
