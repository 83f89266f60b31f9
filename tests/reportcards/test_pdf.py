"""The report card PDF: Mississippi reproduces the published 2023 report, output is valid,
deterministic, navigable and embeds its fonts, and hostile text cannot break it."""

import io
import shutil
import subprocess

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from assessments.models import (
    Assessment,
    Citation,
    DeterminationTable,
    GoalDetermination,
    Insight,
    Recommendation,
    ReviewState,
)
from assessments.selectors import assessment_for
from reportcards.pdf import markup, page_count, render_report_card, tables
from tests.factories import approve_as_they_are, approve_texts_as_they_are
from tests.pdfs import pages_text, printed_statuses

# Every test here reads the sample data, so it must run with the database tests, before
# pytest-django's transactional tests flush it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]

PARTIALLY_MET = ["1.1", "2.9", "2.11", "3.3", "3.5", "4.2", "4.3", "4.4", "4.6", "5.1", "5.2"]
FULLY_MET = [
    "1.2",
    "1.3",
    "1.4",
    "1.5",
    "1.6",
    "1.7",
    "2.1",
    "2.5",
    "2.7",
    "2.10",
    "3.2",
    "3.6",
    "4.5",
    "5.3",
    "5.4",
    "6.1",
    "6.3",
]
NOT_MET = ["2.2", "2.3", "2.4", "2.6", "2.8", "3.1", "3.4", "4.1", "6.2", "6.4", "6.5", "6.6"]
SECTIONS = [
    "Cover",
    "Historical Background",
    "Legislative Framework",
    "Report Card",
    "Safe Harbor Scorecard",
    "Analysis Report",
    "Appendix",
    "Resources",
]


def outline_titles(pdf: bytes) -> list[str]:
    def walk(entries):
        for entry in entries:
            if isinstance(entry, list):
                yield from walk(entry)
            else:
                yield entry.title

    return list(walk(pypdf.PdfReader(io.BytesIO(pdf)).outline))


def qpdf_check(pdf: bytes, tmp_path) -> subprocess.CompletedProcess:
    path = tmp_path / "check.pdf"
    path.write_bytes(pdf)
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is required: apt-get install qpdf"
    return subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def mississippi_pdf(sample_world, django_db_blocker):
    """Rendered once for the read-only tests of this module."""
    with django_db_blocker.unblock():
        return render_report_card(assessment_for("MS", 2023))


@pytest.fixture(scope="module")
def pages(mississippi_pdf):
    return pages_text(mississippi_pdf)


@pytest.fixture(scope="module")
def text(pages):
    return " ".join(pages)


@pytest.fixture(scope="module")
def report_card_page(pages):
    return next(page for page in pages if "STATE HIGHLIGHTS:" in page)


# What the published Mississippi report says


def test_it_prints_the_overall_grade_score_and_tier_on_the_report_card_page(report_card_page):
    assert "MISSISSIPPI 2023 Report Card" in report_card_page
    assert "OVERALL GRADE D 68.5 TIER I RANKED 10TH (TIE)" in report_card_page
    assert "OVERALL GRADE D 68.5 110 TIER I" in report_card_page


@pytest.mark.parametrize(
    "row",
    [
        "1. Criminal Provisions A 16 17.5 Policy goals accomplished related to buyer",
        "2. Identification of and Response to Victims F 14 27.5 Policy goals",
        "3. Continuum of Care D 9 15 Policy goals accomplished related to MDT",
        "4. Access to Justice for Trafficking Survivors F 8.5 15 Policy goal accomplished",
        "5. Tools for a Victim-Centered Criminal Justice Response B 8 10 Policy goals",
        "6. Prevention and Training F 5 15 Policy goals accomplished related to training",
    ],
)
def test_it_prints_each_issue_grade_score_and_maximum_without_trailing_zeros(report_card_page, row):
    assert row in report_card_page


def test_it_prints_the_extra_credit_rows_with_their_summaries(report_card_page):
    assert (
        "EXTRA CREDIT 18+ Youth 3 Protections related to appropriations, civil remedies, and "
        "privileged communications are extended to sex trafficked youth."
    ) in report_card_page
    assert (
        "EXTRA CREDIT CLT Child Labor Trafficking 5 Protections related to financial penalties"
    ) in report_card_page


def test_it_prints_the_highlights_and_safe_harbor_status(report_card_page):
    # Typed "10th (tie)" and "8 states" in the seed are placeholders now: the same print.
    assert "• Currently ranked 10th in the nation (tie)." in report_card_page
    assert "• One of only 8 states to require a specialized multi-disciplinary" in report_card_page
    assert "• $2,500,000 was appropriated from state funds" in report_card_page
    assert "SAFE HARBOR STATUS: One of 30 states that statutorily prohibit" in report_card_page


def test_it_charts_every_issue_score_against_its_maximum(report_card_page):
    for bar in ("16 / 17.5 A", "14 / 27.5 F", "9 / 15 D", "8.5 / 15 F", "8 / 10 B", "5 / 15 F"):
        assert bar in report_card_page


def test_it_prints_the_historical_background_and_pic_scores(text):
    assert "PROTECTED INNOCENCE CHALLENGE · MISSISSIPPI" in text
    assert "2019 91 A 10 / 10 24.5 / 25 15 / 15 7.5 / 10 21.5 / 27.5 12.5 / 15" in text
    assert "2011 62 D 5 / 10 16 / 25 13.5 / 15 6 / 10 14 / 27.5 7.5 / 15" in text
    assert (
        "raised their grade under the Protected Innocence Challenge from a “D” to an “A,”" in text
    )


def test_it_explains_the_framework_grades_and_tiers(text):
    assert "6 ISSUE AREAS IDENTIFIED: ▪ CRIMINAL PROVISIONS ▪ IDENTIFICATION" in text
    assert (
        "40 POLICY GOALS ANALYZED: States earn up to 2.5 points per policy goal: 100 possible "
        "points 110 TOTAL POINTS AWARDED: Extra credit: Protections for labor and youth 18+, "
        "plus up to 10 points"
    ) in text
    assert "ASSIGNED: A | 90-110 B | 80-89 C | 70-79 D | 60-69 F | <60" in text
    assert "▶ TIER 1 = TOP 10 SCORES ▶ TIER 2 = MIDDLE 31 SCORES ▶ TIER 3 = BOTTOM 10" in text


def test_it_prints_the_safe_harbor_scorecard(text):
    assert (
        "Fully met The definition of child sex trafficking victim in the criminal code includes "
        "all commercially sexually exploited children without requiring third party control (see "
        "Policy Goal 2.1 for further analysis and Issue Brief 2.1 for background)."
    ) in text
    assert (
        "Not met State law mandates a process for coordinating access to specialized services"
    ) in text
    assert "(see Policy Goal 3.6 for further analysis and Issue Brief 3.6 for background)." in text
    assert "STATE SUMMARY: Mississippi prohibits the criminalization of all minors" in text


def test_it_prints_all_40_policy_goals_with_their_status(text):
    found = printed_statuses(text)
    expected = {
        **{number: "● PARTIALLY MET" for number in PARTIALLY_MET},
        **{number: "● FULLY MET" for number in FULLY_MET},
        **{number: "○ NOT MET" for number in NOT_MET},
    }
    assert found == expected


def test_it_heads_each_issue_with_its_framework_title(text):
    for heading in (
        "ISSUE 1: Criminal Provisions",
        "ISSUE 2: Identification of & Response to Victims",
        "ISSUE 6: Prevention & Training",
    ):
        assert heading in text


def test_it_numbers_recommendations_after_their_goal(text):
    assert (
        "1.1.1 Recommendation: Amend Miss. Code Ann. § 97-3-54.1(1)(c) (Human trafficking act; "
        "prohibited conduct; penalty) to clarify that buyer conduct is included"
    ) in text
    assert "2.9.1 Recommendation: Enact comprehensive state laws" in text
    assert "6.6.1 Recommendation: Statutorily mandate developmentally" in text
    assert "1.2.1 Recommendation" not in text


def test_it_quotes_statutes_as_blocks_with_their_citation_and_caption(text):
    assert (
        "Specifically, Miss. Code Ann. § 97-3-54.1(1)(c) (Human trafficking act; prohibited "
        "conduct; penalty) states, A person who knowingly subjects"
    ) in text
    assert (
        "or both — Miss. Code Ann. § 97-3-54.1(1)(c) (Human trafficking act; prohibited conduct; "
        "penalty)"
    ) in text
    assert "(viii) Any real property, including any right, title and interest" in text


def test_it_prints_footnote_markers_and_the_goals_footnotes(text):
    assert "based on the term “causes.”² Specifically" in text
    assert "commercial sexual activity,³ sexually explicit performance" in text
    assert "² Following federal precedent, “obtains” can also be a buyer-applicable term." in text
    assert "gaps in those statutes.¹ This report does not analyze case law" in text
    assert (
        "¹ Evaluations of state laws are based on legislation enacted as of July 1, 2023." in text
    )
    assert "⁹ Miss. Code Ann. § 97-3-54.4(f) (Human trafficking act; definitions)" in text


def test_it_prints_tables_of_determinations(text):
    assert "Minimum Age of Juvenile Court Jurisdiction" in text
    assert "Summary 13. 17. Yes. Minors: (1) charged with an offense" in text
    assert "Psychotherapist None." in text


def test_it_builds_the_appropriations_table_from_enacted_bills(text):
    assert "2023 Appropriations Bill Recipient Amount Intended Purpose Term" in text
    assert "HB 1641 2023 Legislative Session Office of the Attorney General $2,500,000" in text
    assert "Exploitation Fund.¹⁸ FY 2024 July 1st-June 30th" in text
    assert "SB 3012" in text and "$250,000" in text and "HB 1625" in text


def test_it_marks_an_appropriations_amount_with_its_footnote(text):
    # The seed prints "$2,500,000 ¹⁷" in the amount cell and note 17 under the table.
    assert "Office of the Attorney General $2,500,000¹⁷ To provide funds" in text
    assert "$250,000¹" not in text  # the other amounts carry no mark
    assert (
        "¹⁷ Further, Enacted Senate Bill 2664, § 7 (2023) directs the State Fiscal Officer to "
        "transfer $2,500,000 from the Capital Expense Fund" in text
    )


def test_it_prints_insights_from_the_field_with_their_attribution(text):
    assert "INSIGHTS FROM THE FIELD “While it is not statutorily mandated" in text
    assert "-Mississippi Attorney General’s Office" in text


def test_it_explains_extra_credit_by_category(text):
    assert (
        "EXTRA CREDIT CLT Child Labor Trafficking Mississippi law levies financial penalties on "
        "child labor trafficking offenders"
    ) in text
    assert "18+ Youth The Mississippi Legislature made an appropriation for FY 2024" in text


def test_it_lists_the_appendix_statutes_by_group(text):
    appendix = text[text.index("Appendix State Laws") :]
    assert appendix.index("State Laws Addressing Child Sex Trafficking") < appendix.index(
        "State Laws Addressing Commercial Sexual Exploitation of Children (CSEC)"
    )
    assert (
        "1. Miss. Code Ann. § 97-3-54.1(1)(c) (Human trafficking act; prohibited conduct; "
        "penalty) states,"
    ) in appendix
    assert "2. Miss. Code Ann. § 97-3-54.3 (Human trafficking act; aiding, abetting" in appendix
    assert "2. Miss. Code Ann. § 97-5-5 (Enticing a child under 14; punishment) states," in appendix
    assert "²⁹ Miss. Code Ann. § 97-3-54.4(e)" in appendix


def test_it_keeps_the_sections_in_the_published_order(text):
    markers = [
        "CONTENTS",
        "Historical Background",
        "Legislative Framework ADVANCED",
        "STATE HIGHLIGHTS:",
        "Safe Harbor Scorecard WHAT IS SAFE HARBOR?",
        "Analysis Report This report",
        "Appendix State Laws",
        "Resources REPORT CARDS PROJECT:",
    ]
    positions = [text.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_it_prints_the_cover(pages):
    cover = pages[0]
    for words in ("2023 REPORT", "MISSISSIPPI", "Report Cards on Child & Youth Sex Trafficking"):
        assert words in cover
    assert "State Action. National Change." in cover
    assert "HISTORICAL BACKGROUND 2 LEGISLATIVE FRAMEWORK 3 REPORT CARD 4" in cover


# The file itself


def test_it_passes_qpdf_check(mississippi_pdf, tmp_path):
    result = qpdf_check(mississippi_pdf, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_renders_the_same_bytes_twice(db):
    assessment = assessment_for("MS", 2023)
    assert render_report_card(assessment) == render_report_card(assessment)


def test_it_has_an_outline_entry_per_section_issue_and_goal(mississippi_pdf):
    titles = outline_titles(mississippi_pdf)
    for section in SECTIONS:
        assert section in titles
    goals = [title for title in titles if title.startswith("Policy Goal ")]
    assert goals == [
        f"Policy Goal {n}"
        for n in sorted(
            PARTIALLY_MET + FULLY_MET + NOT_MET, key=lambda n: tuple(map(int, n.split(".")))
        )
    ]
    assert "Issue 3: Continuum of Care" in titles


def test_it_embeds_dejavu_and_no_other_font(mississippi_pdf):
    reader = pypdf.PdfReader(io.BytesIO(mississippi_pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert "DejaVuSans" in name
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_it_prints_section_signs_curly_quotes_dashes_and_status_dots(text):
    for character in "§’“”–—●○":
        assert character in text


def test_it_carries_title_author_subject_and_a_fixed_creation_date(mississippi_pdf):
    metadata = pypdf.PdfReader(io.BytesIO(mississippi_pdf)).metadata
    assert metadata.title.startswith("2023 Report Card · Mississippi")
    assert metadata.author == "Report Cards"
    assert metadata.creator == "Report Cards"
    assert "Mississippi" in metadata.subject
    assert metadata["/CreationDate"].startswith("D:20230701")


def test_it_counts_its_pages(mississippi_pdf):
    assert page_count(mississippi_pdf) == len(pypdf.PdfReader(io.BytesIO(mississippi_pdf)).pages)


# Drafts and synthetic data


def test_it_is_not_a_draft_when_every_determination_is_approved(pages):
    assert not any("DRAFT" in page for page in pages)


def test_it_marks_every_page_draft_when_a_determination_is_not_approved(db):
    GoalDetermination.objects.filter(
        assessment__jurisdiction__code="MS", goal__number="4.2"
    ).update(review_state=ReviewState.DRAFT, approved=None)
    pages = pages_text(render_report_card(assessment_for("MS", 2023)))
    assert all("DRAFT" in page for page in pages)
    assert "not yet approved" in pages[3]


def test_it_renders_a_draft_on_request_and_a_final_on_request(db):
    assessment = assessment_for("MS", 2023)
    assert "DRAFT" in pages_text(render_report_card(assessment, draft=True))[5]
    GoalDetermination.objects.filter(assessment=assessment).update(
        review_state=ReviewState.DRAFT, approved=None
    )
    assert "DRAFT" not in " ".join(pages_text(render_report_card(assessment, draft=False)))


def test_it_labels_every_page_of_a_synthetic_jurisdiction(db, tmp_path):
    pdf = render_report_card(assessment_for("TN", 2023))
    pages = pages_text(pdf)
    assert all("synthetic demo data" in page.lower() for page in pages)
    assert "TENNESSEE" in pages[0]
    assert qpdf_check(pdf, tmp_path).returncode == 0


def test_it_makes_the_narratives_links_clickable(mississippi_pdf):
    reader = pypdf.PdfReader(io.BytesIO(mississippi_pdf))
    uris = [
        annotation.get_object().get("/A", {}).get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    ]
    assert "https://reportcards.sharedhope.org/related-resources/#3.5" in uris


def test_it_says_nothing_of_synthetic_data_for_mississippi(text):
    assert "synthetic" not in text.lower()


# Hostile content


@pytest.fixture
def hostile_mississippi(db):
    """Mississippi with text an analyst could type, paste or import."""
    assessment = assessment_for("MS", 2023)
    determinations = {
        d.goal.number: d
        for d in GoalDetermination.objects.filter(assessment=assessment).select_related("goal")
    }
    goal = determinations["1.1"]
    goal.narrative = (
        "Markup <b>not bold</b> & <para>tags</para> &amp; stay text; **unbalanced *stars; "
        "a [^99] marker; [[quote 7]] has no quote.\n\n"
        "Emoji 😀 and Arabic العربية and Hebrew עברית.\n\n"
        "[[quote 1]]\n\n" + "> " * 40 + "deep quote\n\n" + " " * 400 + "- deeply indented item"
    )
    goal.save()
    Citation.objects.filter(determination=goal).update(
        quote=("Very long statute text " * 860) + "END-OF-LONG-QUOTE <font size=99>"
    )
    Recommendation.objects.filter(determination=goal).delete()
    determinations["1.2"].narrative = ""
    determinations["1.2"].save()
    Insight.objects.filter(determination__assessment=assessment).update(quote="<i>“unclosed")
    table = DeterminationTable.objects.get(determination=determinations["2.9"])
    blank = [""] * len(table.columns)
    # Cells hold at most 2,000 characters (the document's limit): many long rows.
    long_row = ["Summary", "x " * 990 + "ENDCELL", *blank[2:]]
    table.rows = [long_row] * 12 + [["short", *blank[1:]]]
    table.save()
    Assessment.objects.filter(pk=assessment.pk).update(
        issue_summaries={"1": "Summary " * 2500 + "END-OF-LONG-SUMMARY", "2": "</td><br/>"},
        highlights=["<img src='x'/> & ok", ""],
        safe_harbor_summary="",
    )
    # The card prints what was approved: a reviewer approved all of it (the quote stays
    # within the document's 20,000 characters).
    approve_as_they_are(determinations.values())
    return approve_texts_as_they_are(assessment)


# What the hostile text prints as (or what survives of it).
HOSTILE_SURVIVORS = (
    "Markup <b>not bold</b> & <para>tags</para> &amp; stay text; **unbalanced *stars",
    "[[quote 7]] has no quote.",
    "Emoji \ufffd and Arabic",
    "deep quote",
    "deeply indented item",
    "END-OF-LONG-QUOTE <font size=99>",
    "ENDCELL",
    "END-OF-LONG-SUMMARY",
    "</td><br/>",
    "<img src='x'/> & ok",
    "“<i>“unclosed”",
    "Policy Goal 1.2",
)


def test_it_renders_hostile_text_as_the_text_it_is(hostile_mississippi, tmp_path):
    pdf = render_report_card(hostile_mississippi)
    text = " ".join(pages_text(pdf))
    assert qpdf_check(pdf, tmp_path).returncode == 0
    assert "[^99]" not in text and "marker" in text
    # Extractors put right-to-left runs in visual order; the words survive either way.
    assert "العربية" in text or "العربية"[::-1] in text
    assert "עברית" in text or "עברית"[::-1] in text
    assert "1.1.1 Recommendation" not in text
    for survivor in HOSTILE_SURVIVORS:
        assert survivor in text


def test_it_splits_long_quotes_and_cells_across_pages(hostile_mississippi):
    pages = pages_text(render_report_card(hostile_mississippi))
    quote_pages = [page for page in pages if "Very long statute text" in page]
    assert len(quote_pages) >= 3
    cell_pages = [page for page in pages if "x x x x x x" in page]
    assert len(cell_pages) >= 2
    summary_pages = [page for page in pages if "Summary Summary Summary" in page]
    assert len(summary_pages) >= 3
    # Each continued page repeats the table header once, not once per leftover row.
    assert all(page.count("Grade Score Max Summary") <= 1 for page in pages)


# Data gathering


def test_it_gathers_a_report_card_with_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    from reportcards.pdf.data import report_card_data

    for code in ("MS", "TN"):
        assessment = assessment_for(code, 2023)
        # 17 reads, and the savepoint of the one transaction they share (2 statements).
        with django_assert_max_num_queries(19):
            report_card_data(assessment)


# Markup


def test_it_escapes_everything_but_its_own_markup():
    assert markup.inline("<b>&amp;</b>") == "&lt;b&gt;&amp;amp;&lt;/b&gt;"
    assert markup.inline("**bold** and *italic*") == "<b>bold</b> and <i>italic</i>"
    assert markup.inline("**a *b* c**") == "<b>a <i>b</i> c</b>"
    assert markup.inline("**unbalanced *x") == "**unbalanced *x"
    assert markup.inline("2 * 3 * 4") == "2 * 3 * 4"


def test_it_leaves_pasted_asterisk_floods_as_typed():
    # Unpaired openers print as typed; that this takes linear time is bench/markdown.py's
    # "**x *y floods" figure (a time limit here would fail on a busy machine, not on a bug).
    flood = "**x *y " * 3000
    assert markup.inline(flood) == flood


def test_it_turns_footnote_references_into_superscripts():
    assert markup.inline("law.[^12] Next") == "law.¹² Next"
    assert markup.inline("see[^a<b]") == "see<super>a&lt;b</super>"


def test_it_replaces_characters_the_font_cannot_draw():
    assert markup.inline("ok 😀 ok") == "ok \ufffd ok"


def test_it_splits_paragraphs_lists_quotes_and_placeholders():
    text = "One\ntwo\n\n- item\n  - nested\n- (a) subsection\n\n> quoted\n\n[[table 1]]"
    seen = []

    def resolve(kind, number):
        seen.append((kind, number))
        return []

    flowables = markup.to_flowables(text, ParagraphStyle("t"), resolve=resolve)
    texts = [flowable.text for flowable in flowables]
    assert texts == ["One two", "item", "nested", "(a) subsection", "quoted"]
    assert [flowable.bulletText for flowable in flowables[1:4]] == ["•", "•", None]
    assert flowables[2].style.leftIndent > flowables[1].style.leftIndent
    assert flowables[4].style.leftIndent > 0
    assert seen == [("table", 1)]


# Tables


def test_it_finds_rows_too_tall_to_keep_whole():
    cell = ParagraphStyle("cell", fontSize=8, leading=10)
    assert not tables.has_tall_row([[Paragraph("short", cell), ""]], [200, 100])
    assert tables.has_tall_row([["", Paragraph("word " * 3000, cell)]], [100, 200])


# The command


def test_it_writes_the_pdf_and_reports_pages_size_and_checksum(db, tmp_path, capsys):
    output = tmp_path / "ms.pdf"
    call_command("render_report_card", "ms", "2023", "-o", str(output))
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF-")
    message = capsys.readouterr().out
    assert f"{page_count(pdf)} pages, {len(pdf)} bytes, sha256 " in message


def test_it_refuses_an_unknown_jurisdiction_with_a_clear_message(db, tmp_path):
    with pytest.raises(CommandError, match="There is no jurisdiction with the code “XX”"):
        call_command("render_report_card", "XX", "2023", "-o", str(tmp_path / "x.pdf"))


def test_it_refuses_an_unknown_cycle_with_a_clear_message(db, tmp_path):
    with pytest.raises(CommandError, match="There is no 1999 cycle"):
        call_command("render_report_card", "MS", "1999", "-o", str(tmp_path / "x.pdf"))


def test_it_refuses_an_output_path_it_cannot_write(db, tmp_path):
    with pytest.raises(CommandError, match="there is no directory"):
        call_command("render_report_card", "MS", "2023", "-o", str(tmp_path / "no" / "x.pdf"))
    with pytest.raises(CommandError, match="it is a directory"):
        call_command("render_report_card", "MS", "2023", "-o", str(tmp_path))
