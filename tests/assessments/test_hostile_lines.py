"""Hostile input in the goal editor's short texts that the card prints as inline narrative
(a new statute's citation and caption, a pinpoint, an insight's attribution): refused on
save with the narrative parser's message, the typed text kept and nothing saved; and a
caption that reached the database some other way renders dead in the quote's source line,
as it prints in the PDF."""

import pytest
from django.urls import reverse

from assessments.models import GoalDetermination
from statutes.models import Statute
from tests.pages import form_data, parsed, send, text

pytestmark = pytest.mark.django_db

EDITOR = "form#determination-form"
GOAL_URL = reverse("assessments:determination", args=["MS", 2023, "1.2"])
REFUSED = "This text uses what the narrative format does not support: "
HOSTILE = [
    ("<script>alert(1)</script>", "HTML (<script>"),
    ("[x](javascript:alert(1))", "a link to “javascript:alert(1)”"),
    ("![x](https://evil.example/x.png)", "an image"),
]


def errors_of(page, field) -> list[str]:
    return [text(e) for e in page.select(f'[id^="error_"][id$="_id_{field}"]')]


@pytest.mark.parametrize(("typed", "named"), HOSTILE)
@pytest.mark.parametrize("field", ["new_caption", "new_citation"])
def test_a_new_statute_line_is_refused_with_the_text_kept(goal, analyst, field, typed, named):
    row = {
        "citations-TOTAL_FORMS": "2",
        "citations-1-new_citation": "Miss. Code Ann. § 97-3-55",
        "citations-1-quote": "A person shall not ...",
        f"citations-1-{field}": typed,
    }
    response = send(analyst, GOAL_URL, EDITOR, change_reason="Add a statute", **row)
    assert response.status_code == 400
    page = parsed(response)
    errors = errors_of(page, f"citations-1-{field}")
    assert len(errors) == 1 and errors[0].startswith(REFUSED) and named in errors[0]
    assert form_data(page.select_one(EDITOR))[f"citations-1-{field}"] == typed
    assert GoalDetermination.objects.get(pk=goal.pk).version == goal.version
    assert not Statute.objects.filter(citation="Miss. Code Ann. § 97-3-55").exists()


@pytest.mark.parametrize(("typed", "named"), HOSTILE)
def test_an_insight_attribution_is_refused_with_the_text_kept(goal, analyst, typed, named):
    row = {
        "insights-TOTAL_FORMS": "1",
        "insights-0-quote": "Survivors need services, not charges.",
        "insights-0-attribution": typed,
    }
    response = send(analyst, GOAL_URL, EDITOR, change_reason="Add an insight", **row)
    assert response.status_code == 400
    page = parsed(response)
    errors = errors_of(page, "insights-0-attribution")
    assert len(errors) == 1 and named in errors[0]
    assert form_data(page.select_one(EDITOR))["insights-0-attribution"] == typed
    assert not goal.insights.exists()


def test_a_hostile_caption_from_elsewhere_renders_dead_in_the_quote_source(goal, analyst):
    Statute.objects.filter(citations__determination=goal).update(
        caption="<script>alert(1)</script> [x](javascript:alert(1)) ![i](https://e.x/i.png)"
    )
    GoalDetermination.objects.filter(pk=goal.pk).update(narrative="[[quote 1]]")
    source = parsed(analyst.get(GOAL_URL)).select_one(".narrative .quote-source")
    assert source.select("script, img") == []
    assert [a["href"] for a in source.select("a")] == ["https://e.x/i.png"]
    assert "<script>alert(1)</script> [x](javascript:alert(1))" in text(source)
