"""The national table and the dashboard keep their HTML until the next recompute."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import GoalDetermination, ReviewState
from assessments.recompute import cycle_recompute
from assessments.scoring import Status, fmt

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]

PAGES = [("home", []), ("dashboard", [2023])]


def ms_row(client, name, args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return re.search(r'<tr data-code="MS">(.*?)</tr>', response.content.decode(), re.S).group(1)


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_recompute_shows_at_once_on_a_page_shown_before(client, users, cycle, name, args):
    client.force_login(users["analyst"])
    assert "68.5" in ms_row(client, name, args)
    # One of Mississippi's approved, fully met goals is revised to not met.
    goal = GoalDetermination.objects.filter(
        assessment__jurisdiction__code="MS",
        assessment__cycle=cycle,
        status=Status.FULLY_MET,
        review_state=ReviewState.APPROVED,
    ).first()
    goal.status, goal.points = Status.NOT_MET, Decimal("0")
    goal.save()
    cycle_recompute(cycle_id=cycle.id)
    expected = Decimal("68.5") - goal.goal.max_points
    assert f">{fmt(expected)}<" in ms_row(client, name, args)


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_page_shown_again_does_not_read_the_scores_again(client, users, name, args):
    client.force_login(users["analyst"])
    url = reverse(name, args=args)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    reads = [q["sql"] for q in first.captured_queries if "assessments_scoresnapshot" in q["sql"]]
    assert reads, "the first request renders from the stored scores"
    assert not [q for q in second.captured_queries if "assessments_scoresnapshot" in q["sql"]]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_each_user_sees_their_own_name_and_roles_around_the_shared_table(client, users, name, args):
    client.force_login(users["analyst"])
    client.get(reverse(name, args=args))
    client.force_login(users["reviewer"])
    html = client.get(reverse(name, args=args)).content.decode()
    navbar = re.search(r'<span class="navbar-text me-3">(.*?)</span>', html, re.S).group(1)
    assert navbar.startswith("reviewer") and "Reviewer" in navbar and "Analyst" not in navbar


def test_the_dashboard_filters_are_not_served_from_the_unfiltered_page(client, users):
    client.force_login(users["analyst"])
    unfiltered = client.get(reverse("dashboard", args=[2023])).content.decode()
    assert len(re.findall(r'<tr data-code="[A-Z]{2}"', unfiltered)) == 51
    only_a = client.get(reverse("dashboard", args=[2023]), {"grade": "A"}).content.decode()
    grades = re.findall(r'<tr data-code="[A-Z]{2}">.*?grade-([A-F])"', only_a, re.S)
    assert grades and set(grades) == {"A"}
