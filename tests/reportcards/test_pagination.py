"""The national table and a cycle's assessment list are paged, so a page's size and cost do
not grow with the number of jurisdictions. A page holds every state and DC; these tests
shrink it to two rows to page through a small world."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import selectors
from assessments.recompute import cycle_recompute
from tests.factories import AssessmentFactory, DeterminationFactory, JurisdictionFactory
from tests.pages import parsed, text

pytestmark = pytest.mark.django_db

EXTRA = ("AL", "AK", "AZ", "AR", "CA", "CO")


@pytest.fixture(autouse=True)
def two_per_page(monkeypatch):
    monkeypatch.setattr(selectors, "JURISDICTIONS_PER_PAGE", 2)


@pytest.fixture
def admin(client, world):
    client.force_login(world.users["admin"])
    return client


def add_jurisdictions(world, codes):
    for code in codes:
        assessment = AssessmentFactory(
            jurisdiction=JurisdictionFactory(code=code), cycle=world.cycle
        )
        for goal in world.goals.values():
            DeterminationFactory(assessment=assessment, goal=goal)
    cycle_recompute(cycle_id=world.cycle.id)


def pages_of(page) -> list[str]:
    return [text(link) for link in page.select("nav .pagination .page-link")]


def test_the_national_table_shows_one_page_and_links_to_the_others(admin, world):
    add_jurisdictions(world, EXTRA[:1])
    first = parsed(admin.get(reverse("national")))
    assert len(first.select("tr[data-code]")) == 2
    assert pages_of(first) == ["1", "2", "Next"]
    second = parsed(admin.get(reverse("national"), {"cycle": 2023, "page": 2}))
    codes = [row["data-code"] for row in first.select("tr[data-code]")]
    codes += [row["data-code"] for row in second.select("tr[data-code]")]
    assert sorted(codes) == ["AL", "MS", "TN"]
    assert second.select_one('nav a[rel="prev"]')["href"] == "?cycle=2023&page=1"


def test_a_cycle_s_assessments_are_paged_by_name(admin, world):
    add_jurisdictions(world, EXTRA[:1])
    url = reverse("assessments:list", args=[2023])
    names = []
    for number in (1, 2):
        page = parsed(admin.get(url, {"page": number}))
        names += [text(link) for link in page.select("tbody td:first-child a")]
        assert pages_of(page)[-1] == ("Next" if number == 1 else "2")
    assert len(names) == 3 and names == sorted(names)


@pytest.mark.parametrize("name", ["national", "list"])
def test_a_page_costs_the_same_queries_with_more_jurisdictions(admin, world, name):
    url = reverse("national") if name == "national" else reverse("assessments:list", args=[2023])
    add_jurisdictions(world, EXTRA[:1])
    with CaptureQueriesContext(connection) as few:
        assert admin.get(url).status_code == 200
    add_jurisdictions(world, EXTRA[1:])
    with CaptureQueriesContext(connection) as many:
        assert admin.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("page", ["0", "99", "x", "²", "9" * 5000])
def test_a_page_number_out_of_range_shows_a_page_not_an_error(admin, world, page):
    for url in (reverse("national"), reverse("assessments:list", args=[2023])):
        assert admin.get(url, {"page": page}).status_code == 200
