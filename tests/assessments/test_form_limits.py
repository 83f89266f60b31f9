"""Forms keep to the limits of docs/limits.md: text areas say how long they may be, control
characters are refused with a field error that names them, and the typed text stays in the
form while nothing is saved."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, ReviewEvent
from core import limits
from statutes.models import Statute
from tests.assessments.test_workflow_pages import (
    EDITOR,
    REQUEST_CHANGES,
    TEXTS,
    add_row,
    determination,
    editor_data,
    field_errors,
    goal_url,
)
from tests.pages import form_data, parsed, send, text

pytestmark = pytest.mark.django_db

CONTROL = "contains the control character U+{:04X}"


def test_every_text_area_of_the_editor_says_how_long_it_may_be(goal, analyst):
    page = parsed(analyst.get(goal_url()))
    lengths = {area["name"]: area["maxlength"] for area in page.select(f"{EDITOR} textarea[name]")}
    assert lengths["narrative"] == str(limits.NARRATIVE_MAX_CHARS)
    assert lengths["citations-0-quote"] == str(limits.TEXT_MAX_CHARS)
    assert lengths["citations-0-new_text"] == str(limits.STATUTE_TEXT_MAX_CHARS)
    assert lengths["recommendations-0-text"] == str(limits.TEXT_MAX_CHARS)


@pytest.mark.parametrize(
    ("field", "value", "character"),
    [
        ("narrative", "Met in part.\x00", 0),
        ("narrative", "Copied from a PDF\x0c page two", 0x0C),
        ("citations-0-pinpoint", "(1)\t(a)", 0x09),
        ("citations-0-quote", "No person shall\x1b[0m", 0x1B),
        ("recommendations-0-text", "Train\x7f prosecutors.", 0x7F),
        ("change_reason", "Amended\nin 2023", 0x0A),
    ],
)
def test_the_editor_refuses_control_characters_and_keeps_the_text(
    goal, analyst, field, value, character
):
    data = editor_data(analyst, **{"change_reason": "Checked again.", field: value})
    response = analyst.post(goal_url(), data)
    assert response.status_code == 400
    page = parsed(response)
    assert any(CONTROL.format(character) in error for error in field_errors(page, field))
    assert form_data(page.select_one(EDITOR))[field].replace("\r\n", "\n") == value
    assert determination().version == goal.version


def test_the_editor_keeps_tabs_and_line_breaks_in_text_areas(goal, analyst):
    # Tabs inside lines: a tab-indented line would be a code block, which the narrative
    # format refuses (docs/narrative-format.md).
    narrative = "Met in part:\n\n(a)\tbuyers;\n(b)\tsellers."
    response = send(analyst, goal_url(), EDITOR, narrative=narrative, change_reason="Tabs.")
    assert response.status_code == 200
    assert determination().narrative == narrative


def test_the_editor_refuses_more_citations_than_the_limit(goal, analyst):
    data = editor_data(analyst, change_reason="Many.")
    for number in range(limits.PARTS_MAX):
        add_row(data, "citations", new_citation=f"Miss. Code Ann. § 1-{number}")
    response = analyst.post(goal_url(), data)
    assert response.status_code == 400
    assert f"Please submit at most {limits.PARTS_MAX} forms." in response.content.decode()
    assert goal.citations.count() == 1


def test_the_state_texts_refuse_a_nul_and_keep_the_text(world, analyst):
    url = reverse("assessments:texts", args=["MS", 2023])
    response = send(analyst, url, TEXTS, safe_harbor_summary="Minors\x00 are protected.")
    assert response.status_code == 400
    page = parsed(response)
    assert any(CONTROL.format(0) in e for e in field_errors(page, "safe_harbor_summary"))
    assert form_data(page.select_one(TEXTS))["safe_harbor_summary"] == "Minors\x00 are protected."
    assert Assessment.objects.get(pk=world.assessments["MS"].pk).safe_harbor_summary == ""


def test_the_state_texts_take_at_most_the_limit_of_highlights(world, analyst):
    url = reverse("assessments:texts", args=["MS", 2023])
    many = "\n".join(f"Highlight {n}" for n in range(limits.HIGHLIGHTS_MAX + 1))
    response = send(analyst, url, TEXTS, highlights=many)
    assert response.status_code == 400
    assert field_errors(parsed(response), "highlights") == [
        f"At most {limits.HIGHLIGHTS_MAX} highlights, one per line."
    ]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("citation", "Miss. Code Ann. § 97\x00", CONTROL.format(0)),
        ("caption", "Trafficking\x07", CONTROL.format(7)),
        ("citation", "§ " + "9" * 200, "at most 200 characters"),
        ("text", "x" * (limits.STATUTE_TEXT_MAX_CHARS + 1), "at most 200000 characters"),
    ],
)
def test_the_statute_library_refuses_bad_text_and_keeps_the_form(
    world, analyst, field, value, error
):
    url = reverse("statutes:new", args=["MS"])
    changes = {"citation": "Miss. Code Ann. § 97-3-54.1", "text": "No person ...", field: value}
    response = send(analyst, url, "form[method=post][novalidate]", **changes)
    page = parsed(response)
    assert any(error in found for found in field_errors(page, field))
    assert form_data(page.select_one("form[method=post][novalidate]"))[field] == value
    assert not Statute.objects.exists()


def test_a_request_for_changes_refuses_control_characters_and_records_nothing(world, client):
    goal = world.determination("MS", "1.2")
    goal = services.determination_submit(
        determination_id=goal.pk, user=world.users["analyst"], expected_version=goal.version
    )
    client.force_login(world.users["reviewer"])
    url = reverse("assessments:request_changes", args=["MS", 2023, "1.2"])
    response = client.post(url, {"version": goal.version, "comment": "Cite\x00it."})
    assert response.status_code == 400
    page = parsed(response)
    assert CONTROL.format(0) in text(page.select_one("#review-refused"))
    kept = form_data(page.select_one(REQUEST_CHANGES))
    assert kept["comment"] == "Cite\x00it."  # the typed text stays, the character named
    assert determination().review_state == "submitted"
    assert not ReviewEvent.objects.filter(action="request_changes").exists()
