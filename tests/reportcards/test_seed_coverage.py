"""The Mississippi PDF carries the sentences of the published 2023 report (the seed).

Coverage is measured sentence by sentence: a seed sentence is covered when, normalised, it
occurs in the PDF's normalised text. The normalisation forgives only what text extraction
and the seed's plain-text form cannot keep: whitespace and line breaks, a word hyphenated
at a line end, straight against curly quotes, footnote markers, and the seed's own markup
(emphasis stars, list dashes, escaped dollars, link brackets). Case, wording, numbers and
punctuation must match.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from assessments.selectors import assessment_for
from reportcards.pdf import render_report_card, report_card_data
from reportcards.pdf.document import edition_line, running_title
from reportcards.pdf.texts import SECTIONS, TITLE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]

SEED = Path("/work/shared/seed/mississippi-2023-report-card.txt")
TARGET = 0.99
# What the PDF cannot match, each an artefact of the seed's extraction from the printed
# report: superscript ordinals pulled onto the line ("1 st"), a status badge's glyph read as
# "1", and a table cell cut at a page break (its caption continues in the next row).
SEED_ARTEFACTS = {
    "July 1 st -June 30 th",
    "1 PARTIALLY MET",
    "Miss. Code Ann. § 43-26-3(2) (Procedures when responding to allegation of child abuse, or "
    "human trafficking or commercial sexual exploitation of a child; presumption that minor "
    "taken into custody under Section 97-29-49 is victim of human trafficking)",
}

MARKERS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})
LINE_END_HYPHEN = re.compile(r"(?<=\w)- (?=\w)")
SEED_MARKUP = [
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [here](#) -> here
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # <https://...> -> https://...
    (re.compile(r"\*+"), ""),  # **bold**, *italic*
    (re.compile(r"\\\$"), "$"),  # an escaped dollar
    (re.compile(r"^\s*(?:- )+", re.MULTILINE), ""),  # a (nested) list item's dashes
    (re.compile(r"^[-\s]+$", re.MULTILINE), ""),  # the rule under a table's header
]
# A sentence ends at . ! or ? (after an optional closing quote or bracket) before a capital;
# abbreviations of citations ("Miss. Code Ann. §") and "e.g." do not end one.
SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\bMiss\.)(?<!\bAnn\.)(?<!\be\.g\.)[”\")]?\s+(?=[A-Z“\"(●○▶•])"
)


def normalised(text: str) -> str:
    text = MARKERS.sub("", text.translate(QUOTES))
    text = " ".join(text.split())
    return LINE_END_HYPHEN.sub("-", text)


def seed_sentences(seed: str) -> list[str]:
    for pattern, replacement in SEED_MARKUP:
        seed = pattern.sub(replacement, seed)
    sentences = []
    for paragraph in re.split(r"\n\s*\n", seed):
        # A table row is a line of tab-separated cells; each cell is read on its own.
        for cell in re.split(r"[\n\t]", paragraph):
            sentences += [normalised(part) for part in SENTENCE_END.split(cell)]
    return [sentence for sentence in sentences if sentence]


def body_lines(pdf: bytes, card) -> list[list[str]]:
    """Each page's lines as printed, without the running header and footer."""
    furniture = {running_title(card), TITLE, edition_line(card)}
    return [
        [
            line.strip()
            for line in page.extract_text().splitlines()
            if line.strip() and line.strip() not in furniture
            if not re.fullmatch(r"Page \d+", line.strip())
        ]
        for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    ]


def pdf_text(pdf: bytes, card) -> str:
    """The PDF's text in reading order, without the running header and footer lines."""
    return normalised("\n".join(line for page in body_lines(pdf, card) for line in page))


def coverage(sentences: list[str], text: str) -> tuple[float, list[str]]:
    misses = [sentence for sentence in sentences if sentence not in text]
    return 1 - len(misses) / len(sentences), misses


@pytest.fixture(scope="module")
def mississippi(sample_world, django_db_blocker):
    with django_db_blocker.unblock():
        assessment = assessment_for("MS", 2023)
        card = report_card_data(assessment)
        return card, render_report_card(assessment)


def test_normalisation_forgives_layout_not_wording():
    assert normalised("child sex traf-\nficking victim-\ncentered “causes.”²") == (
        'child sex traf-ficking victim-centered "causes."'
    )
    assert normalised("Prevention and Training") != normalised("Prevention & Training")
    assert normalised("SAFE HARBOR") != normalised("Safe Harbor")


def test_seed_sentences_split_at_sentence_ends_not_inside_citations():
    sentences = seed_sentences("Under Miss. Code Ann. § 97-3-54.1, it is. So **it** is! [Ok](#)")
    assert sentences == ["Under Miss. Code Ann. § 97-3-54.1, it is.", "So it is!", "Ok"]


@pytest.mark.skipif(not SEED.exists(), reason="the seed report is not on this machine")
def test_the_mississippi_pdf_carries_the_seed_reports_sentences(mississippi):
    card, pdf = mississippi
    sentences = seed_sentences(SEED.read_text())
    share, misses = coverage(sentences, pdf_text(pdf, card))
    print(f"\nseed sentence coverage {share:.2%} of {len(sentences)}; misses:")
    for miss in misses:
        print(f"  - {miss}")
    assert share >= TARGET, f"{len(misses)} seed sentences missing: {misses}"
    assert set(misses) <= SEED_ARTEFACTS, set(misses) - SEED_ARTEFACTS


def test_goal_titles_carry_the_footnote_marks_the_seed_prints(mississippi):
    _, pdf = mississippi
    raw = " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Policy Goal 1.2 Commercial sexual exploitation of children (CSEC) laws⁴ specif" in raw
    assert "Policy Goal 1.3 Commercial sexual exploitation of children (CSEC) laws⁶ apply" in raw


def test_the_mississippi_card_fits_in_36_pages(mississippi):
    _, pdf = mississippi
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 36


def test_no_heading_is_left_at_the_foot_of_a_page(mississippi):
    card, pdf = mississippi
    last_lines = [page[-1] for page in body_lines(pdf, card) if page]
    headings = ("INSIGHTS FROM THE FIELD", "EXTRA CREDIT", "ISSUE ", "Policy Goal ")
    assert [line for line in last_lines if line.startswith(headings)] == []


def test_citations_are_not_split_at_a_line_end(mississippi):
    card, pdf = mississippi
    lines = [line for page in body_lines(pdf, card) for line in page]
    assert [line for line in lines if line.endswith(("§", " Miss.", "Code"))] == []
    assert sum("Miss. Code Ann." in " ".join(line.split()) for line in lines) > 100


def link_annotations(pdf: bytes) -> list[tuple[int, dict]]:
    """(page index, link annotation) for every link of the PDF."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [
        (index, annotation.get_object())
        for index, page in enumerate(reader.pages)
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Link"
    ]


def test_the_contents_lists_the_page_each_section_starts_on(mississippi):
    _, pdf = mississippi
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    contents = reader.pages[0].extract_text().splitlines()
    listed = {
        title: int(number)
        for title, number in zip(contents, contents[1:], strict=False)
        if number.isdigit() and title.isupper()
    }
    starts = {
        entry.title.upper(): reader.get_destination_page_number(entry) + 1
        for entry in reader.outline
        if not isinstance(entry, list) and entry.title != "Cover"
    }
    assert listed == starts
    assert list(listed) == [title.upper() for _, title in SECTIONS]
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert "Appendix State Laws" in pages[listed["APPENDIX"] - 1]


def test_addresses_issue_briefs_and_click_here_are_links(mississippi):
    _, pdf = mississippi
    links = link_annotations(pdf)
    addresses = {link["/A"].get("/URI") for _, link in links if "/A" in link}
    assert "https://reportcards.sharedhope.org/related-resources/#2.2" in addresses
    assert "https://act.sharedhope.org/actioncenter" in addresses
    assert "https://sharedhope.org/PICframe9/reportcards/PIC_RC_2019_MS.pdf" in addresses
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    analysis = next(
        index for index, page in enumerate(reader.pages) if "click here" in page.extract_text()
    )
    inside = [link for index, link in links if index == analysis and "/Dest" in link]
    assert inside, "“click here” links to the legislative framework"
