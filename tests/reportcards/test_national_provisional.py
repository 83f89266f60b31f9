"""The national table's provisional view (`?view=provisional`): the scores, grades, ranks
and tiers as if every unapproved version counted, beside the official figures, on the small
world. Mississippi and Tennessee start with their three goals approved as fully met (7.5
points each, tied 1st) and the cycle scored."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import ScoreSnapshot
from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from tests.factories import (
    AssessmentFactory,
    DeterminationFactory,
    JurisdictionFactory,
    approve_as_they_are,
    save_as,
)
from tests.pages import opened, parsed, row_cells, text

pytestmark = pytest.mark.django_db

PROVISIONAL = {"view": "provisional"}


@pytest.fixture
def tied(world):
    world.approve_all("MS")
    world.approve_all("TN")
    cycle_recompute(cycle_id=world.cycle.id)
    return world


def table(client, **query):
    return opened(client, reverse("national"), **query)


def codes(soup) -> list[str]:
    return [row["data-code"] for row in soup.select("tr[data-code]")]


def banner(soup) -> str:
    found = soup.select_one("#provisional-banner")
    return text(found) if found else ""


def draft_not_met(world, code="MS", goal="1.2"):
    """An analyst reopens an approved goal and saves it as not met (a pending draft)."""
    return save_as(
        world.users["analyst"],
        world.determination(code, goal),
        reason="The 2024 amendment was repealed.",
        status=Status.NOT_MET,
        points=None,
    )


def test_a_draft_that_changes_a_status_shows_in_the_provisional_view(analyst, tied):
    draft_not_met(tied)
    soup = table(analyst, **PROVISIONAL)
    assert codes(soup) == ["TN", "MS"]
    assert row_cells(soup, "MS") == [
        "2nd official 1st (tie)",
        "State MS",
        "5",
        "-2.5 official 7.5",
        "D official A",
        "Tier I",
        "1",
    ]
    assert row_cells(soup, "TN") == [
        "1st official 1st (tie)",
        "State TN",
        "7.5",
        "0",
        "A",
        "Tier I",
        "0",
    ]
    assert banner(soup).startswith(
        "Provisional: includes 1 unapproved change, not for publication."
    )


def test_the_official_view_is_unchanged_by_a_draft(analyst, tied):
    before = table(analyst)
    draft_not_met(tied)
    after = table(analyst)
    for code in ("MS", "TN"):
        assert row_cells(after, code) == row_cells(before, code)
    assert row_cells(after, "MS") == ["1st (tie)", "State MS", "7.5", "A", "Tier I", "3"]
    assert banner(after) == ""
    assert ScoreSnapshot.objects.get(jurisdiction__code="MS").total == Decimal("7.5")


def test_a_submitted_version_counts_provisionally_too(analyst, tied):
    draft = draft_not_met(tied)
    services.determination_submit(
        determination_id=draft.pk, user=tied.users["analyst"], expected_version=draft.version
    )
    assert row_cells(table(analyst, **PROVISIONAL), "MS")[:3] == [
        "2nd official 1st (tie)",
        "State MS",
        "5",
    ]


def test_a_draft_counts_its_extra_credit_as_saved(analyst, tied):
    determination = tied.determination("MS", "1.1")
    services.determination_save(
        determination_id=determination.pk,
        user=tied.users["analyst"],
        expected_version=determination.version,
        data=services.DeterminationData(
            status=Status.FULLY_MET,
            points=None,
            extra_credit=[services.AwardData(category_id=tied.clt.pk, points=Decimal("1"))],
        ),
        change_reason="Child labor trafficking is covered.",
    )
    soup = table(analyst, **PROVISIONAL)
    assert row_cells(soup, "MS")[:4] == [
        "1st official 1st (tie)",
        "State MS",
        "8.5",
        "+1 official 7.5",
    ]
    assert row_cells(soup, "TN")[0] == "2nd official 1st (tie)"


def test_a_goal_never_approved_counts_as_saved(analyst, world):
    world.approve_all("MS")
    cycle_recompute(cycle_id=world.cycle.id)
    soup = table(analyst, **PROVISIONAL)
    # Tennessee's three goals are drafts never approved: pending, and not met as saved.
    assert row_cells(soup, "TN")[2:] == ["0", "0", "F", "Tier I", "3"]
    assert banner(soup).startswith("Provisional: includes 3 unapproved changes")


def test_rows_that_move_are_marked(analyst, tied):
    draft_not_met(tied)
    soup = table(analyst, **PROVISIONAL)
    assert [row["data-code"] for row in soup.select("tr[data-moved]")] == ["TN", "MS"]


def test_the_toggle_links_both_views_and_marks_the_one_shown(analyst, tied):
    soup = table(analyst, **PROVISIONAL)
    links = {text(a): a for a in soup.select(".nav-pills a")}
    assert links["Official (approved versions)"]["href"] == "?"
    assert links["Provisional (pending drafts counted)"]["aria-current"] == "page"
    official = table(analyst)
    toggle = official.select_one(".nav-pills a:not([aria-current])")
    assert toggle["href"] == "?view=provisional"


def test_the_cycle_picker_keeps_the_provisional_view(analyst, tied):
    soup = table(analyst, **PROVISIONAL)
    assert soup.select_one('form input[name="view"]')["value"] == "provisional"


def test_it_sends_anonymous_visitors_to_the_login_page(client, tied):
    response = client.get(reverse("national"), PROVISIONAL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_a_user_without_a_role_only_the_no_access_page(client, tied):
    client.force_login(tied.users["norole"])
    response = client.get(reverse("national"), PROVISIONAL)
    assert response.status_code == 403
    assert not parsed(response).select("tr[data-code]")


def test_it_writes_nothing(analyst, tied):
    draft_not_met(tied)
    with CaptureQueriesContext(connection) as captured:
        table(analyst, **PROVISIONAL)
    writes = ("INSERT", "UPDATE", "DELETE")
    assert [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(writes)] == []


def add_jurisdictions(world, count: int, *, start: int = 0) -> None:
    """`count` more jurisdictions in the cycle, each with the three goals: goal 1.1 approved
    as fully met with a pending draft (not met, with extra credit), the others drafts."""
    for n in range(start, start + count):
        code = chr(ord("A") + n // 26) + chr(ord("A") + n % 26)  # AA, AB, ..
        assessment = AssessmentFactory(
            jurisdiction=JurisdictionFactory(code=code), cycle=world.cycle
        )
        determinations = [
            DeterminationFactory(assessment=assessment, goal=goal, status=Status.FULLY_MET)
            for goal in world.goals.values()
        ]
        approve_as_they_are(determinations[:1], user=world.users["reviewer"])
        determinations[0].review_state = "draft"
        determinations[0].status = Status.NOT_MET
        determinations[0].save()
        determinations[0].extra_credit_awards.create(category=world.clt, points=Decimal("1"))


def provisional_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        table(client, **PROVISIONAL)
    return len(captured)


def test_its_query_count_does_not_grow_with_the_jurisdictions(analyst, tied):
    add_jurisdictions(tied, 2)
    small = provisional_queries(analyst)
    add_jurisdictions(tied, 20, start=2)
    assert provisional_queries(analyst) == small


def test_it_pages_and_orders_like_the_official_view(analyst, tied):
    add_jurisdictions(tied, 62)
    cycle_recompute(cycle_id=tied.cycle.id)
    official = [codes(table(analyst, page=n)) for n in (1, 2)]
    provisional = [codes(table(analyst, page=n, **PROVISIONAL)) for n in (1, 2)]
    assert [len(rows) for rows in provisional] == [60, 4]
    # The pending drafts of goal 1.1 (not met, 1 point of extra credit) move every new
    # jurisdiction the same way, so the order stays the official one.
    assert provisional == official
    assert banner(table(analyst, **PROVISIONAL)).startswith(
        "Provisional: includes 186 unapproved changes"
    )
