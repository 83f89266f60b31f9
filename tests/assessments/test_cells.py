"""The table-cell templates: a goal's status and review state as the pages show them."""

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string

STATUS, STATE = "assessments/_status.html", "assessments/_state_badge.html"
BADGES = {
    (STATUS, "fully_met"): ("status status-full", "● Fully met"),
    (STATUS, "partially_met"): ("status status-partial", "◐ Partially met"),
    (STATUS, "not_met"): ("status status-not", "○ Not met"),
    (STATUS, "<script>"): ("status status-not", "○ Not met"),  # anything else: not met
    (STATE, "approved"): ("badge text-bg-success", "Approved"),
    (STATE, "submitted"): ("badge text-bg-primary", "Submitted"),
    (STATE, "draft"): ("badge text-bg-secondary", "Draft"),
}


@pytest.mark.parametrize(("template", "value"), BADGES)
def test_a_status_or_review_state_shows_as_a_labelled_badge(template, value):
    html = render_to_string(template, {"status": value, "state": value})
    badge = BeautifulSoup(html, "html.parser").span
    assert (" ".join(badge["class"]), badge.text) == BADGES[template, value]
