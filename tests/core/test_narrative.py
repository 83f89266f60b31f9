"""The narrative format: what it supports, what it refuses on save (named, with its line),
and that rendering keeps every word of input it would refuse."""

import pytest

from core import narrative
from core.narrative_html import render_html


@pytest.mark.parametrize(
    "text",
    [
        "Plain *emphasis*, **strong**, [a link](https://example.org) and <https://example.org>.",
        "- bullets\n  - nested\n\n1. numbered\n2. list",
        "> a quote\n> > nested",
        "[[quote 1]]\n\n[[table 2]]\n\nA mark.[^12]",
        "[mail](mailto:a@example.org) and [goal 2.4](#goal-2.4)",
        "(a) a statute subdivision\n\n- (b) as an item\n\n....",
        "$2,500,000 & “quotes” — dashes § 97-3-54.1(1)(c) [Human trafficking act; penalty]",
    ],
)
def test_it_accepts_the_supported_subset(text):
    assert narrative.format_problems(text) == []


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Text\n\n<script>alert(1)</script>", "HTML (<script>alert(1)</script>) on line 3"),
        ("Inline <b>bold</b>", "HTML (<b>) on line 1"),
        ('<img src=x onerror="alert(1)">', 'HTML (<img src=x onerror="alert(1)">) on line 1'),
        ("# Heading", "a heading (use **bold** text on its own line) on line 1"),
        ("Title\n=====", "a heading (use **bold** text on its own line) on line 1"),
        ("Para\n\n    indented code", "a code block (a line indented by four or more spaces)"),
        ("```\ncode\n```", "a code block (```) on line 1"),
        ("above\n\n---", "a horizontal rule (---) on line 3"),
        ("| a | b |\n|---|---|\n| c | d |", "a Markdown table (add a table to the goal"),
        ("![alt](https://example.org/x.png)", "an image on line 1"),
        ("`code`", "inline code (`…`) on line 1"),
        ("~~gone~~", "strikethrough (~~…~~) on line 1"),
        ("[x](javascript:alert(1))", "a link to “javascript:alert(1)” (only http, https"),
        ("[x][ref]\n\n[ref]: https://example.org", "a link definition “[REF]: …”"),
        ("[^1]: a footnote definition", "a footnote definition “[^N]: …”"),
        ("See [[quote 1]] here.", "“[[quote 1]]” (write [[quote N]] or [[table N]] exactly"),
        ("[[quote  1]]", "“[[quote  1]]” (write [[quote N]] or [[table N]] exactly"),
        ("[[Table 1]]", "“[[Table 1]]”"),
        ("> " * 7 + "deep", "lists and quotes nested more than 6 deep on line 1"),
    ],
)
def test_it_names_each_refused_construct_and_its_line(text, named):
    problems = narrative.format_problems(text)
    assert any(problem.startswith(named) for problem in problems), problems


def test_it_says_everything_wrong_in_one_message():
    message = narrative.format_error("# Head\n\n<b>x</b>", "The narrative")
    assert message == (
        "The narrative uses what the narrative format does not support: a heading (use "
        "**bold** text on its own line) on line 1; HTML (<b>) on line 3."
    )
    assert narrative.format_error("fine") == ""


def test_it_lists_what_a_text_refers_to():
    text = "See.[^3]\n\n[[quote 2]]\n\n- **bold[^a]**\n\n> [[table 1]]"
    assert narrative.references(text) == [
        ("footnote", "3"),
        ("quote", "2"),
        ("footnote", "a"),
        ("table", "1"),
    ]


def test_refused_input_that_reached_the_database_still_renders_as_its_words():
    text = "# Head\n\n<b>x</b> &amp; `code` ![i](https://e.org/i.png)\n\n    indented\n\n---"
    html = render_html(text)
    for words in ("# Head", "&lt;b&gt;x&lt;/b&gt; &amp;amp; `code`", "indented", "---"):
        assert words in html
    assert "<img" not in html and "<h1" not in html and "<code" not in html


def test_it_links_only_to_http_https_mailto_and_anchors():
    html = render_html("[a](javascript:alert(1)) [b](data:text/html,x) [c](https://e.org)")
    assert "javascript" not in html.split("[a](")[0]
    assert html.count("<a ") == 1 and 'href="https://e.org"' in html


@pytest.mark.parametrize(
    "text",
    [
        "*a " * 6000,
        "[^1]" * 4000,
        "> " * 9000 + "x",
        "- item\n" * 3000,
        "[" * 20000,
        "**x *y " * 3000,
    ],
)
def test_it_renders_hostile_input_up_to_the_limit_without_losing_the_tail(text):
    """bench/markdown.py times these; here: they parse, and what is refused is refused."""
    blocks = narrative.parse(text)
    assert blocks
    if not text.startswith(">"):  # nesting past the parser's depth is dropped, and refused
        assert narrative.plain_text(blocks).split()[-1:] == text.split()[-1:] or "[^1]" in text
