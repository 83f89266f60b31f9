"""One goal across the country: every jurisdiction's determination of a goal side by side."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import GoalDetermination
from tests.factories import CitationFactory, changes_requested, grow, reviewed_goal
from tests.pages import parsed, text

pytestmark = pytest.mark.django_db


def goal_page(client, world, number="1.2", **query):
    client.force_login(world.users["reviewer"])
    response = client.get(reverse("assessments:goal_across", args=[2023, number]), query)
    assert response.status_code == 200
    return parsed(response)


def cells(page, code):
    row = page.select_one(f"#goal-across tr[data-code={code}]")
    return {cell["data-cell"]: text(cell) for cell in row.select("td[data-cell]")}


def test_every_jurisdiction_side_by_side(client, world):
    reviewed_goal(world, "MS", "1.2")  # partially met, 2 points, one citation, approved
    GoalDetermination.objects.filter(pk=world.determinations["TN", "1.2"].pk).update(
        narrative="First line.\n\nSecond line.\nThird line stays out."
    )
    page = goal_page(client, world)
    assert [tr["data-code"] for tr in page.select("#goal-across tbody tr")] == ["MS", "TN"]
    ms = cells(page, "MS")
    assert ms["status"] == "◐ Partially met"
    assert ms["points"] == "2.00"
    assert ms["review"].startswith("Approved")
    assert "v1 approved" in ms["review"]
    assert ms["citations"].endswith("(1)")
    tn = cells(page, "TN")
    assert tn["narrative"] == "First line. Second line.…"
    assert tn["citations"] == "none"
    editor = page.select_one("#goal-across tr[data-code=TN] a[data-editor]")
    assert editor["href"] == reverse("assessments:determination", args=["TN", 2023, "1.2"])


def test_filters_by_status_and_review_state(client, world):
    reviewed_goal(world, "MS", "1.2")
    changes_requested(world, world.determination("TN", "1.2"), "Cite the law.")

    def codes(**query):
        page = goal_page(client, world, **query)
        return [tr["data-code"] for tr in page.select("#goal-across tbody tr[data-code]")]

    assert codes(status="partially_met") == ["MS"]
    assert codes(status="not_met") == ["TN"]
    assert codes(state="changes_requested") == ["TN"]
    assert cells(goal_page(client, world), "TN")["review"].startswith("Changes requested")
    assert codes(state="approved", status="not_met") == []
    assert codes(status="bogus", state="bogus") == ["MS", "TN"]


def test_an_unknown_goal_or_cycle_is_not_found(client, world):
    client.force_login(world.users["analyst"])
    assert client.get(reverse("assessments:goal_across", args=[2023, "9.9"])).status_code == 404
    assert client.get(reverse("assessments:goal_across", args=[1999, "1.1"])).status_code == 404


def goal_queries(client, world) -> int:
    client.force_login(world.users["admin"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("assessments:goal_across", args=[2023, "1.1"]))
        assert response.status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_with_more_jurisdictions_and_goals(client, world):
    CitationFactory(determination=world.determination("MS", "1.1"))
    few = goal_queries(client, world)
    grow(world, ["AL", "AK", "AZ"], ["1.3", "1.4"])
    for code in ("AL", "AK", "AZ", "TN"):
        CitationFactory(determination=world.determination(code, "1.1"))
    world.approve("AL", "1.1")
    assert goal_queries(client, world) == few
