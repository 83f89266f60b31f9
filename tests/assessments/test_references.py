"""References to nothing ([[quote N]], [[table N]], [^N]) may be saved in a draft, with a
warning on the goal page, but never submitted or approved; texts outside the narrative
format are refused on save with the construct named and the typed text kept."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import GoalDetermination, ReviewState
from assessments.services import WorkflowError
from tests.factories import save_as
from tests.pages import form_data, parsed, send, text

pytestmark = pytest.mark.django_db

EDITOR = "form#determination-form"
SUBMIT = 'form[action$="/submit/"]'
GOAL_URL = reverse("assessments:determination", args=["MS", 2023, "1.2"])


def save_narrative(goal, user, narrative):
    return save_as(user, goal, reason="Rework", narrative=narrative)


def test_a_draft_with_a_dangling_reference_is_saved_and_cannot_be_submitted(goal, world):
    draft = save_narrative(goal, world.users["analyst"], "As quoted:\n\n[[quote 2]]")
    with pytest.raises(WorkflowError) as refused:
        services.determination_submit(
            determination_id=draft.pk, user=world.users["analyst"], expected_version=draft.version
        )
    assert str(refused.value) == (
        "Goal 1.2 refers to quote 2, but the goal has 1 citation. "
        "Fix the references before it can be submitted."
    )
    assert GoalDetermination.objects.get(pk=goal.pk).review_state == ReviewState.DRAFT


def test_a_submitted_goal_whose_reference_dangles_cannot_be_approved(goal, world):
    GoalDetermination.objects.filter(pk=goal.pk).update(
        review_state=ReviewState.SUBMITTED, narrative="See [[table 1]] below.\n\n[[table 1]]"
    )
    with pytest.raises(WorkflowError, match="Goal 1.2 refers to table 1, but the goal has no"):
        services.determination_approve(
            determination_id=goal.pk, user=world.users["reviewer"], expected_version=goal.version
        )
    assert GoalDetermination.objects.get(pk=goal.pk).review_state == ReviewState.SUBMITTED


def test_footnote_marks_in_any_text_of_the_goal_need_their_footnote(goal, world):
    goal.recommendations.update(text="Train prosecutors.[^4]")
    GoalDetermination.objects.filter(pk=goal.pk).update(review_state=ReviewState.DRAFT)
    with pytest.raises(WorkflowError, match="Goal 1.2 marks footnote 4, but the goal has no"):
        services.determination_submit(
            determination_id=goal.pk, user=world.users["analyst"], expected_version=goal.version
        )
    goal.footnotes.create(position=1, label="4", text="A source.")
    services.determination_submit(
        determination_id=goal.pk, user=world.users["analyst"], expected_version=goal.version
    )


def test_the_goal_page_warns_of_a_dangling_reference_after_saving(goal, analyst):
    page = send(analyst, GOAL_URL, EDITOR, narrative="[[quote 3]]", change_reason="Rework")
    warning = parsed(page).select_one("#reference-problems")
    assert "Goal 1.2 refers to quote 3, but the goal has 1 citation." in text(warning)
    refused = send(analyst, GOAL_URL, SUBMIT)
    assert "Fix the references before it can be submitted" in text(parsed(refused))


def test_the_goal_page_has_no_warning_when_every_reference_resolves(goal, analyst):
    page = send(analyst, GOAL_URL, EDITOR, narrative="[[quote 1]]", change_reason="Rework")
    assert parsed(page).select_one("#reference-problems") is None
    assert parsed(page).select_one(".narrative blockquote.statute-quote") is not None


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("Intro\n\n<b>bold</b>", "HTML (<b>) on line 3"),
        ("# A heading", "a heading (use **bold** text on its own line) on line 1"),
        ("[x](javascript:alert(1))", "a link to “javascript:alert(1)”"),
    ],
)
def test_the_editor_refuses_what_the_format_does_not_support_and_keeps_the_text(
    goal, analyst, typed, named
):
    response = send(analyst, GOAL_URL, EDITOR, narrative=typed, change_reason="Rework")
    assert response.status_code == 400
    page = parsed(response)
    errors = [text(e) for e in page.select('[id^="error_"][id$="_id_narrative"]')]
    assert len(errors) == 1 and named in errors[0]
    assert errors[0].startswith("This text uses what the narrative format does not support")
    assert form_data(page.select_one(EDITOR))["narrative"] == typed
    assert GoalDetermination.objects.get(pk=goal.pk).narrative == goal.narrative


def test_a_quote_with_a_javascript_link_is_dead_on_the_goal_page(goal, analyst):
    goal.citations.update(quote="[click](javascript:alert(1)) ![x](https://evil.example/x.png)")
    GoalDetermination.objects.filter(pk=goal.pk).update(narrative="[[quote 1]]")
    quote = parsed(analyst.get(GOAL_URL)).select_one(".narrative blockquote.statute-quote")
    assert quote is not None and "click" in text(quote)
    assert quote.select("img") == []
    assert [a["href"] for a in quote.select("a")] == ["https://evil.example/x.png"]


def test_the_preview_says_what_the_format_refuses_while_typing(goal, analyst):
    response = analyst.post(reverse("assessments:preview"), {"narrative": "# Title\n\nText"})
    preview = parsed(response)
    assert text(preview.select_one("[role=alert]")) == (
        "This narrative uses what the narrative format does not support: a heading (use "
        "**bold** text on its own line) on line 1."
    )
    assert [text(p) for p in preview.select("p:not([role])")] == ["# Title", "Text"]
