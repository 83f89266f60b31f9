"""core.diffs: how a change between two saved versions is shown."""

import datetime

from core.diffs import Change, compact_diff, display_value, word_diff_html


def test_it_marks_the_changed_words_and_escapes_the_rest():
    html = word_diff_html("A person <b>knowingly</b> subjects", "A person recklessly subjects")
    assert html == "A person <del>&lt;b&gt;knowingly&lt;/b&gt;</del> <ins>recklessly</ins> subjects"


def test_it_shows_only_the_changed_sentences_of_a_long_text_with_one_of_context():
    old = "One. Two. Three. Four. Five."
    new = "One. Two. Three and more. Four. Five."
    assert compact_diff(old, new) == [
        ("hunk", "…"),
        ("same", "Two."),
        ("del", "Three."),
        ("add", "Three and more."),
        ("same", "Four."),
    ]


def test_it_diffs_long_or_multiline_values_and_repeats_short_ones():
    assert not Change("points", "Points", "2.00", "2.25").is_long
    assert Change("narrative", "Narrative", "x" * 81, "").is_long
    assert Change("highlights", "Highlights", "One.", "One.\nTwo.").is_long


def test_it_shows_values_as_text():
    assert display_value(None) == display_value("") == ""
    assert display_value(datetime.date(2023, 7, 1)) == "2023-07-01"
    assert display_value(["One.", "Two."]) == "One.\nTwo."
    assert display_value({"1": "Summary"}) == "1: Summary"
