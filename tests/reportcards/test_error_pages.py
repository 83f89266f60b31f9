"""The 400, 403, 404 and 500 pages: branded, with navigation, saying why (issue 14).
DEBUG is off, as in production, where Django renders them."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.views import defaults

from tests.pages import parsed, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_errors():
    with override_settings(DEBUG=False):
        yield


def links(page) -> list[str]:
    return [text(a) for a in page.select("#error-links a")]


def test_403_says_why_with_the_permission_denied_message(client, world):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("assessments:review_queue"))
    assert response.status_code == 403
    page = parsed(response)
    assert text(page.h1) == "You may not do this"
    assert text(page.select_one("#error-reason")) == "This page needs the role Reviewer."
    assert links(page) == ["My work", "National table", "Statutes"]
    assert page.select_one("#nav-my-work") is not None  # the usual navigation bar
    assert "signed in as analyst" in text(page)


def test_403_from_a_service_rule_says_the_rule(client, world):
    client.force_login(world.users["reviewer"])
    goal = reverse("assessments:determination", args=["MS", 2023, "1.2"])
    response = client.post(goal, {"version": "1"})
    assert response.status_code == 403
    assert text(parsed(response).select_one("#error-reason")) == (
        "Only an analyst can edit determinations."
    )


def test_404_names_what_is_missing(client, world):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("assessments:determination", args=["MS", 2023, "9.9"]))
    assert response.status_code == 404
    page = parsed(response)
    assert text(page.h1) == "There is nothing here"
    assert text(page.select_one("#error-reason")) == "No goal 9.9 in the 2023 assessment of “MS”."
    assert links(page) == ["My work", "National table", "Statutes"]


def test_404_of_an_unknown_address_shows_the_address(client, world):
    client.force_login(world.users["analyst"])
    page = parsed(client.get("/no/such/page/"))
    reason = page.select_one("#error-reason")
    assert text(reason).startswith("No page has the address")
    assert text(reason.code) == "/no/such/page/"


def test_500_is_plain_but_branded_without_a_request_context():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = parsed(response)
    assert text(page.select_one(".navbar-brand")) == "Report Cards"
    assert text(page.h1) == "Something went wrong on our side"
    assert links(page) == ["My work", "National table", "Statutes"]


def test_400_keeps_its_words_and_gains_the_navigation(client, world):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("national"), HTTP_HOST="unknown.example")
    assert response.status_code == 400
    page = parsed(response)
    assert text(page.h1) == "Nothing was saved"
    assert links(page) == ["My work", "National table", "Statutes"]
