"""The cycle board: per jurisdiction, goals by review state per issue area, the assignment,
the overdue flag; filters, sorting, pages, the progress bar, the weekly chart and the CSV."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import GoalDetermination, ReviewState
from reportcards import board_views
from tests.factories import assign, changes_requested, grow
from tests.pages import parsed, text

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PAST = (TODAY - datetime.timedelta(days=3)).isoformat()
FUTURE = (TODAY + datetime.timedelta(days=30)).isoformat()


def send_back(world, code, goal):
    changes_requested(world, world.determination(code, goal), "Cite the statute.")


@pytest.fixture
def worked(world):
    """Mississippi: 1.1 approved, 1.2 sent back, 2.1 submitted; assigned, overdue.
    Tennessee: every goal a plain draft, assigned, due later."""
    world.approve("MS", "1.1")
    send_back(world, "MS", "1.2")
    GoalDetermination.objects.filter(pk=world.determinations["MS", "2.1"].pk).update(
        review_state=ReviewState.SUBMITTED
    )
    assign(world, ("MS", "analyst", "reviewer", PAST), ("TN", "admin", "reviewer", FUTURE))
    return world


def board(client, world, **query):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("board", args=[2023]), query)
    assert response.status_code == 200
    return parsed(response)


def codes_of(page):
    return [tr["data-code"] for tr in page.select("#board tbody tr[data-code]")]


def row(page, code):
    return page.select_one(f"#board tr[data-code={code}]")


def states(tr):
    return [text(cell) for cell in tr.select("td[data-state]")]


def test_a_row_counts_each_issue_areas_goals_by_state(client, worked):
    page = board(client, worked)
    # Area 1: draft, submitted, changes requested, approved; then area 2.
    assert states(row(page, "MS")) == ["0", "0", "1", "1", "0", "1", "0", "0"]
    assert states(row(page, "TN")) == ["2", "0", "0", "0", "1", "0", "0", "0"]
    ms = row(page, "MS")
    assert text(ms.select_one("[data-cell=approved]")) == "1/3"
    assert text(ms.select_one("[data-cell=analyst]")) == "analyst"
    assert text(ms.select_one("[data-cell=reviewer]")) == "reviewer"
    assert text(ms.select_one("[data-cell=due]")) == PAST
    assert text(ms.select_one("[data-cell=overdue]")) == "overdue"
    assert text(row(page, "TN").select_one("[data-cell=overdue]")) == "no"


def test_the_cycle_progress_and_the_weekly_approvals(client, worked):
    page = board(client, worked)
    assert text(page.select_one("#progress-text")).startswith("1 of 6 goals approved (17 %)")
    assert page.select_one("#cycle-progress-bar")["aria-valuenow"] == "1"
    chart = page.select_one("#approvals-per-week svg")
    counts = [int(text(label)) for label in chart.select("text.chart-count")]
    assert len(counts) == 12
    assert counts[-1] == 1  # this week's approval, the latest week shown
    assert sum(counts) == 1


def test_filters_keep_the_rows_asked_for(client, worked):
    def codes(**query):
        return codes_of(board(client, worked, **query))

    assert codes() == ["MS", "TN"]
    assert codes(status="changes_requested") == ["MS"]
    assert codes(status="draft") == ["TN"]
    assert codes(status="submitted", area="1") == []
    assert codes(status="submitted", area="2") == ["MS"]
    assert codes(assignee="admin") == ["TN"]
    assert codes(overdue="1") == ["MS"]
    assert codes(status="nonsense", area="99", sort="nonsense") == ["MS", "TN"]


def test_an_issue_area_filter_shows_that_areas_columns_only(client, worked):
    page = board(client, worked, area="2")
    assert states(row(page, "MS")) == ["0", "1", "0", "0"]


def test_sorting_and_its_second_click(client, worked):
    def codes(sort):
        page = board(client, worked, sort=sort)
        return codes_of(page), page

    assert codes("progress")[0] == ["TN", "MS"]
    assert codes("-progress")[0] == ["MS", "TN"]
    assert codes("analyst")[0] == ["TN", "MS"]  # admin before analyst
    ordered, page = codes("due")
    assert ordered == ["MS", "TN"]
    header = page.select_one("th[aria-sort=ascending] a")
    assert text(header) == "Due" and "sort=-due" in header["href"]


def test_the_board_pages(client, worked, monkeypatch):
    monkeypatch.setattr(board_views, "ROWS_PER_PAGE", 1)
    first = board(client, worked)
    second = board(client, worked, page="2")
    assert codes_of(first) == ["MS"]
    assert codes_of(second) == ["TN"]


def test_the_csv_has_the_rows_the_page_filters(client, worked):
    client.force_login(worked.users["reviewer"])
    page = board(client, worked, status="draft")
    link = page.select_one("#board-csv")["href"]
    response = client.get(link)
    assert response["Content-Disposition"] == 'attachment; filename="board-2023.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["jurisdiction"] for r in rows] == ["TN"]
    assert rows[0]["draft"] == "3" and rows[0]["overdue"] == "no"
    assert rows[0]["1 draft"] == "2" and rows[0]["2 draft"] == "1"


def test_an_unknown_cycle_is_not_found(client, world):
    client.force_login(world.users["analyst"])
    assert client.get(reverse("board", args=[1999])).status_code == 404


def board_queries(client, world) -> int:
    client.force_login(world.users["admin"])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("board", args=[2023])).status_code == 200
    return len(captured)


def test_the_board_costs_the_same_queries_with_more_jurisdictions_and_goals(client, worked):
    few = board_queries(client, worked)
    grow(worked, ["AL", "AK", "AZ", "AR", "CA"], ["1.3", "1.4"])
    assign(worked, ("AL", "analyst", "reviewer", PAST))
    worked.approve("AL", "1.3")
    send_back(worked, "AK", "1.4")
    assert board_queries(client, worked) == few
