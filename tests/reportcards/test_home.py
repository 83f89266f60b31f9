"""The national table shown after login."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


def national_table(client) -> BeautifulSoup:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def cells(soup, code) -> list[str]:
    """Rank, jurisdiction, total, grade, tier and approved goals of one row, as shown."""
    row = soup.select_one(f'tr[data-code="{code}"]')
    return [" ".join(cell.get_text(" ").split()) for cell in row.find_all("td")]


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_all_51_jurisdictions_with_total_grade_rank_and_tier(client, users):
    client.force_login(users["analyst"])
    soup = national_table(client)
    assert len(soup.select("tr[data-code]")) == 51
    assert cells(soup, "MS") == ["10th (tie)", "Mississippi", "68.5", "D", "Tier I", "40"]
    assert soup.select_one('tr[data-code="MS"] .grade')["class"] == ["grade", "grade-D"]
    overview = soup.select_one('tr[data-code="MS"] a')["href"]
    assert overview == reverse("assessments:overview", args=["MS", 2023])


def test_it_labels_synthetic_jurisdictions_visibly(client, users):
    client.force_login(users["reviewer"])
    soup = national_table(client)
    rank, name, _, grade, *_ = cells(soup, "TN")
    assert (rank, name, grade) == ("1st", "Tennessee synthetic demo data", "A")
    assert "synthetic demo data" not in cells(soup, "MS")[1]
    assert soup.select_one(".alert-warning .badge-synthetic").text == "synthetic demo data"


def test_it_answers_404_for_a_cycle_that_does_not_exist(client, users):
    client.force_login(users["analyst"])
    assert client.get(reverse("home"), {"cycle": "1999"}).status_code == 404


def test_it_says_scores_are_current(client, users):
    client.force_login(users["publisher"])
    state = national_table(client).select_one("#score-state").get_text()
    assert state.strip().startswith("Scores current as of")


def test_it_logs_in_with_the_login_form_and_keeps_the_username_on_failure(client, users):
    users["analyst"].set_password("a-long-test-password")
    users["analyst"].save()
    failed = client.post(reverse("login"), {"username": "analyst", "password": "wrong"})
    assert "didn't match" in failed.content.decode()
    form = BeautifulSoup(failed.content, "html.parser")
    assert form.select_one('input[name="username"]')["value"] == "analyst"
    ok = client.post(reverse("login"), {"username": "analyst", "password": "a-long-test-password"})
    assert ok.status_code == 302 and ok["Location"] == reverse("home")
