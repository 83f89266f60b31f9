"""The national table (/national/, one click from the My work home page), and logging in,
on the small world. Tests that need scores start with Mississippi's three goals approved as
fully met (7.5 points), Tennessee with none, and the cycle scored. The table of all 51
jurisdictions is tested on the dashboard (tests/reportcards/test_dashboard.py)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessments.models import Assessment
from assessments.recompute import cycle_mark_stale, cycle_recompute
from tests.factories import PASSWORD, UserFactory, ready_to_publish
from tests.pages import opened, parsed, row_cells, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(world):
    ready_to_publish(world)
    return world


def national_table(client, **query):
    return opened(client, reverse("national"), **query)


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_each_jurisdiction_with_rank_total_grade_tier_and_approved_goals(analyst, scored):
    soup = national_table(analyst)
    assert [row["data-code"] for row in soup.select("tr[data-code]")] == ["MS", "TN"]
    assert row_cells(soup, "MS") == ["1st", "State MS", "7.5", "A", "Tier I", "3"]
    assert row_cells(soup, "TN") == ["2nd", "State TN", "0", "F", "Tier I", "0"]


def test_it_colours_the_grade(analyst, scored):
    grade = national_table(analyst).select_one('tr[data-code="MS"] .grade')
    assert grade["class"] == ["grade", "grade-A"]


def test_it_links_each_jurisdiction_to_its_assessment(analyst, scored):
    link = national_table(analyst).select_one('tr[data-code="MS"] a')
    assert link["href"] == reverse("assessments:overview", args=["MS", 2023])


def test_it_marks_equal_totals_as_a_tie(analyst, world):
    world.approve_all("MS")
    world.approve_all("TN")
    cycle_recompute(cycle_id=world.cycle.id)
    soup = national_table(analyst)
    assert [row_cells(soup, code)[0] for code in ("MS", "TN")] == ["1st (tie)", "1st (tie)"]


def test_it_labels_synthetic_jurisdictions_visibly(analyst, scored):
    Assessment.objects.filter(pk=scored.assessments["TN"].pk).update(synthetic=True)
    soup = national_table(analyst)
    assert row_cells(soup, "TN")[1] == "State TN synthetic demo data"
    assert row_cells(soup, "MS")[1] == "State MS"
    assert text(soup.select_one(".alert-warning")).startswith(
        "Synthetic demo data: 1 of these jurisdictions carry generated demo assessments"
    )


def test_it_answers_404_for_a_cycle_that_does_not_exist(analyst, scored):
    assert analyst.get(reverse("national"), {"cycle": "1999"}).status_code == 404


def test_it_says_scores_are_current(analyst, scored):
    state = text(national_table(analyst).select_one("#score-state"))
    assert state.startswith("Scores current as of")


def test_it_says_scores_are_being_recomputed(analyst, scored):
    cycle_mark_stale(cycle_id=scored.cycle.id, queue=False)
    state = text(national_table(analyst).select_one("#score-state"))
    assert state.startswith("Scores are being recomputed since")


def test_it_says_when_no_scores_are_computed_yet(analyst, world):
    soup = national_table(analyst)
    assert soup.select("tr[data-code]") == []
    assert "No scores have been computed for 2023 yet." in text(soup.select_one(".alert-info"))


def test_it_says_when_there_is_no_cycle_yet(client):
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    alert = national_table(client).select_one(".alert-info")
    assert text(alert).startswith("There are no assessment cycles yet.")


def test_it_says_when_the_password_does_not_match(client, world):
    failed = parsed(client.post(reverse("login"), {"username": "analyst", "password": "wrong"}))
    assert text(failed.select_one("[role=alert]")).startswith(
        "Your username and password didn't match."
    )


def test_it_keeps_the_username_when_the_login_fails(client, world):
    failed = parsed(client.post(reverse("login"), {"username": "analyst", "password": "wrong"}))
    assert failed.select_one('input[name="username"]')["value"] == "analyst"


def test_it_logs_in_with_the_login_form(client, world):
    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
