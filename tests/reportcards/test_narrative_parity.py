"""One narrative format, two renderers: the preview (HTML) and the PDF (ReportLab) print the
same words in the same blocks, for every supported construct, hostile input and every text
of the Mississippi sample."""

import re

import pytest
from bs4 import BeautifulSoup
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from assessments.models import Assessment, GoalDetermination
from assessments.references import assessment_reference_problems
from core import narrative
from core.narrative_html import render_html
from reportcards.pdf import fonts, markup

SUBSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
NUMBERED = re.compile(r"(\d+)\.")

CORPUS = [
    "One paragraph\nover two lines.\n\nAnother, with *emphasis*, **strong** and ***both***.",
    "- one\n- two\n  - nested\n    - deeper\n- three",
    "1. first\n2. second\n\n3. loose third",
    "7. starts at seven\n8. eight",
    "- (a) a subdivision\n  - (i) and its part\n- ....",
    "> quoted\n> > nested quote\n\n> - a list in a quote",
    "- item\n\n  > a quote in an item\n\n  a second paragraph",
    "[Issue Brief 2.2](https://reportcards.sharedhope.org/2-2) and <https://example.org/x>",
    "[mail](mailto:someone@example.org) and [goal](#goal-2.4) and [elsewhere](#nowhere)",
    "[[quote 1]]\n\nText.\n\n[[table 1]]\n\n[[quote 9]]",
    "[[quote  1]] with two spaces stays text, as does [[quote 1]] inside a sentence.",
    "law.[^12] Next[^a] and **bold[^3]**",
    "<script>alert(1)</script> <img src=x onerror=alert(1)> <b>not bold</b> &amp; <para>",
    "[x](javascript:alert(1)) ![image](https://example.org/i.png)",
    "# not a heading\n\n    indented four\n\n---\n\n| a | b |\n|---|---|\n| c | d |",
    "**unbalanced *stars and 2 * 3 * 4 and snake_case_name",
    "> " * 40 + "deep quote\n\n" + " " * 400 + "- deeply indented item",
    "Emoji 😀 and Arabic العربية and Hebrew עברית.",
    "line  \nbreak\\\nand escaped \\*stars\\*",
]


def html_blocks(html: str) -> list[tuple]:
    """(quote depth, list level, marker, words) of each paragraph of the HTML."""
    blocks = []
    for p in BeautifulSoup(html, "html.parser").find_all("p"):
        items = p.find_parents("li")
        marker = ""
        item = items[0] if items else None
        if item is not None and p is item.find(True) and "labelled" not in item.get("class", []):
            if item.parent.name == "ol":
                position = item.parent.find_all("li", recursive=False).index(item)
                marker = f"{int(item.parent.get('start', 1)) + position}."
            else:
                marker = "•"
        words = fonts.printable(p.get_text())
        blocks.append(_block(len(p.find_parents("blockquote")), len(items) - 1, marker, words))
    return blocks


def pdf_blocks(flowables) -> list[tuple]:
    blocks = []
    for flowable in flowables:
        assert isinstance(flowable, Paragraph)
        name = flowable.style.name
        level = re.search(r">item(\d+)", name)
        words = BeautifulSoup(flowable.text, "html.parser").get_text()
        blocks.append(
            _block(
                name.count(">quote"),
                int(level.group(1)) if level else -1,
                flowable.bulletText or "",
                words.translate(SUBSCRIPT_DIGITS),
            )
        )
    return blocks


def _block(quotes: int, level: int, marker: str, words: str) -> tuple:
    # The PDF stops indenting past these depths; the words are still all there.
    return (
        min(quotes, markup.MAX_QUOTE_DEPTH),
        min(level, markup.MAX_LIST_LEVEL),
        marker,
        " ".join(words.split()),
    )


def both(text: str) -> tuple[list, list]:
    def html_resolve(kind, number):
        return f"<p>{kind.upper()} {number}</p>" if number == 1 else None

    def pdf_resolve(kind, number):
        style = ParagraphStyle("placed")
        return [Paragraph(f"{kind.upper()} {number}", style)] if number == 1 else None

    html = render_html(text, resolve=html_resolve)
    flowables = markup.to_flowables(text, ParagraphStyle("body"), resolve=pdf_resolve)
    return html_blocks(html), pdf_blocks(flowables)


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_the_preview_and_the_pdf_print_the_same_words_in_the_same_blocks(text):
    html, pdf = both(text)
    assert html and html == pdf


def test_lists_quotes_and_links_keep_their_kind_on_both_sides():
    html, _ = both(CORPUS[2] + "\n\n" + CORPUS[4] + "\n\n" + CORPUS[5])
    assert [block[2] for block in html] == ["1.", "2.", "3.", "", "", "", "", "", "•"]
    assert [block[0] for block in html][-3:] == [1, 2, 1]
    flowables = markup.to_flowables(CORPUS[7], ParagraphStyle("body"))
    assert '<a href="https://reportcards.sharedhope.org/2-2"' in flowables[0].text
    assert 'href="https://reportcards.sharedhope.org/2-2"' in render_html(CORPUS[7])


def sample_texts() -> list[str]:
    texts = []
    assessment = Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023)
    texts += [*assessment.highlights, *assessment.issue_summaries.values()]
    texts += [*assessment.extra_credit_summaries.values(), assessment.historical_background]
    texts += [assessment.safe_harbor_status, assessment.safe_harbor_summary]
    texts += [entry.text for entry in assessment.appendix.all()]
    for d in GoalDetermination.objects.filter(assessment=assessment).prefetch_related(
        "citations", "footnotes", "recommendations", "insights", "extra_credit_awards"
    ):
        texts += [d.narrative, *(c.quote for c in d.citations.all())]
        texts += [f.text for f in d.footnotes.all()]
        texts += [r.text for r in d.recommendations.all()]
        texts += [i.quote for i in d.insights.all()]
        texts += [a.explanation for a in d.extra_credit_awards.all()]
    return [text for text in texts if text.strip()]


@pytest.mark.django_db
@pytest.mark.usefixtures("sample_world")
def test_every_text_of_the_mississippi_sample_prints_the_same_in_preview_and_pdf():
    texts = sample_texts()
    assert len(texts) > 150
    for text in texts:
        html, pdf = both(text)
        assert html == pdf, text[:80]


@pytest.mark.django_db
@pytest.mark.usefixtures("sample_world")
def test_the_whole_sample_is_in_the_format_and_refers_to_nothing_missing():
    """Mississippi and the 50 synthetic assessments: every printed text would save."""
    for assessment in Assessment.objects.select_related("jurisdiction"):
        assert assessment_reference_problems(assessment) == [], assessment.jurisdiction.code
    for d in GoalDetermination.objects.prefetch_related(
        "citations", "footnotes", "recommendations", "insights", "extra_credit_awards"
    ):
        texts = [d.narrative, *(c.quote for c in d.citations.all())]
        texts += [f.text for f in d.footnotes.all()] + [r.text for r in d.recommendations.all()]
        texts += [i.quote for i in d.insights.all()]
        texts += [a.explanation for a in d.extra_credit_awards.all()]
        assert [narrative.format_problems(t) for t in texts if narrative.format_problems(t)] == []
    for assessment in Assessment.objects.all():
        texts = [*assessment.highlights, *assessment.issue_summaries.values()]
        texts += [assessment.safe_harbor_status, assessment.safe_harbor_summary]
        assert all(narrative.format_problems(t) == [] for t in texts)
