"""The what-if simulator: a jurisdiction's scores if some goals were scored differently,
without saving anything, equal to what a recompute gives once those goals are approved."""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Scenario, ScoreSnapshot
from assessments.recompute import cycle_recompute
from assessments.reporting import snapshot_summary
from assessments.scoring import Status
from assessments.whatif import GoalSetting, ScenarioError, what_if
from tests.factories import small_world
from tests.pages import parsed, text

CODES = ("MS", "TN", "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA")
GOALS = ("1.1", "1.2", "2.1")


@pytest.fixture
def twelve(db):
    """Twelve jurisdictions (ten fit in Tier I); the eleven others with distinct approved
    totals from 2.75 to 5.5, Mississippi last with 1 point."""
    world = small_world(codes=CODES)
    for index, code in enumerate(CODES[1:]):
        world.approve(code, "1.1")
        world.approve(code, "2.1", Status.PARTIALLY_MET, Decimal(index % 9 + 1) / 4)
        if index >= 9:
            world.approve(code, "1.2")
    world.approve("MS", "1.2", Status.PARTIALLY_MET, Decimal("1"))
    cycle_recompute(cycle_id=world.cycle.id)
    return world


def _tiers(cycle):
    return {
        snapshot.jurisdiction.code: snapshot.tier
        for snapshot in ScoreSnapshot.objects.filter(cycle=cycle).select_related("jurisdiction")
    }


quarter_points = st.integers(min_value=1, max_value=9).map(lambda n: Decimal(n) / 4)
goal_setting = st.one_of(
    st.sampled_from([GoalSetting(Status.FULLY_MET), GoalSetting(Status.NOT_MET)]),
    quarter_points.map(lambda points: GoalSetting(Status.PARTIALLY_MET, points)),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=st.dictionaries(st.sampled_from(GOALS), goal_setting))
def test_what_if_equals_a_recompute_with_the_scenario_approved(twelve, scenario):
    cycle = twelve.cycle
    tiers_before = _tiers(cycle)
    result = what_if(cycle, "MS", scenario)

    with transaction.atomic():
        for goal, setting in scenario.items():
            twelve.approve("MS", goal, setting.status, setting.points)
        cycle_recompute(cycle_id=cycle.id)
        snapshot = ScoreSnapshot.objects.select_related("jurisdiction", "cycle").get(
            cycle=cycle, jurisdiction__code="MS"
        )
        assert result.simulated == snapshot_summary(snapshot)
        tiers_after = _tiers(cycle)
        transaction.set_rollback(True)

    moved = {
        (code, tiers_before[code], tiers_after[code])
        for code in CODES[1:]
        if tiers_before[code] != tiers_after[code]
    }
    assert {(c.jurisdiction, c.before, c.after) for c in result.tier_changes} == moved


def test_it_saves_nothing(twelve):
    before = list(ScoreSnapshot.objects.order_by("id").values())
    what_if(twelve.cycle, "MS", {"1.1": GoalSetting(Status.FULLY_MET)})
    assert list(ScoreSnapshot.objects.order_by("id").values()) == before
    assert twelve.determination("MS", "1.1").approved is None


def test_a_rise_to_the_top_pushes_another_jurisdiction_out_of_tier_one(twelve, capsys):
    call_command(
        "what_if",
        "MS",
        "2023",
        "--set",
        "1.1=fully_met",
        "--set",
        "2.1=fully_met",
        "--set",
        "1.2=partially_met:2.25",
        "--json",
    )
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "7.25"
    assert data["rank"] == 1
    assert data["tier"] == 1
    assert data["current"]["tier"] == 3
    # Tenth until now (3 points), AL is pushed out of the top ten.
    assert data["tier_changes"] == [{"jurisdiction": "AL", "from": 1, "to": 3}]
    for key in ("jurisdiction", "cycle", "issues", "extra_credit", "base", "grade", "tied"):
        assert key in data


def test_the_command_prints_the_scores_as_text(twelve, capsys):
    call_command("what_if", "ms", "2023", "--set", "1.1=fully_met")
    out = capsys.readouterr().out
    assert "what if (nothing saved)" in out
    assert "Issue 1: 3.5 / 5" in out
    assert "Total 3.5" in out
    assert "Now: total 1" in out


def test_enacting_a_recommendation_sets_its_goal_fully_met(world, capsys):
    determination = world.determination("MS", "2.1")
    determination.recommendations.create(text="Enact Safe Harbor.")
    result = what_if(world.cycle, "MS", {}, enact=["2.1.1"])
    assert result.simulated["total"] == "2.5"
    partial = what_if(
        world.cycle,
        "MS",
        {"2.1": GoalSetting(Status.PARTIALLY_MET, Decimal("1.25"))},
        enact=["2.1.1"],
    )
    assert partial.simulated["total"] == "1.25"
    with pytest.raises(ScenarioError, match="no recommendation 2.1.2"):
        what_if(world.cycle, "MS", {}, enact=["2.1.2"])


@pytest.mark.parametrize(
    ("arguments", "refusal"),
    [
        (["MS", "2023", "--set", "9.9=fully_met"], "There is no goal 9.9"),
        (["MS", "2023", "--set", "1.1=done"], "“done” is not a status"),
        (["MS", "2023", "--set", "1.1=partially_met:2.5"], "less than 2.5 points"),
        (["MS", "2023", "--set", "1.1=fully_met:2"], "maximum of 2.5 points"),
        (["MS", "2023", "--set", "1.1=partially_met:abc"], "“abc” \\(goal 1.1\\) is not a number"),
        (["MS", "2023", "--set", "1.1"], "is not a goal setting"),
        (["MS", "2023", "--set", "1.1=fully_met", "--set", "1.1=not_met"], "more than once"),
        (["XX", "2023", "--set", "1.1=fully_met"], "No 2023 assessment for jurisdiction “XX”"),
        (["MS", "1999", "--set", "1.1=fully_met"], "There is no 1999 cycle"),
    ],
)
def test_the_command_explains_what_it_refuses(world, arguments, refusal):
    with pytest.raises(CommandError, match=refusal):
        call_command("what_if", *arguments)


# The page


def _page(client, world, query=""):
    client.force_login(world.users["analyst"])
    return client.get(reverse("assessments:what_if", args=["MS", 2023]) + query)


def test_the_page_starts_from_the_approved_goals(twelve, client):
    page = parsed(_page(client, twelve))
    assert page.select_one("select[name='status-1.2'] option[selected]")["value"] == "partially_met"
    assert page.select_one("input[name='points-1.2']")["value"] == "1"
    assert text(page.select_one("#what-if-total")) == "1 F"
    assert "As approved now" in text(page.select_one("#what-if-result"))


def test_the_page_shows_a_scenario_from_its_url(twelve, client):
    query = "?status-1.1=fully_met&status-2.1=fully_met&status-1.2=partially_met&points-1.2=2.25"
    response = _page(client, twelve, query)
    page = parsed(response)
    assert text(page.select_one("#what-if-total")) == "7.25 A"
    assert "Ranked 1 · Tier 1" in text(page.select_one("#what-if-standing"))
    assert text(page.select_one("#what-if-tier-changes")) == "AL: Tier 1 → Tier 3"
    assert page.select_one("input[name='points-1.2']")["value"] == "2.25"
    assert twelve.determination("MS", "1.1").approved is None  # nothing saved


def test_the_page_explains_a_bad_scenario_and_keeps_what_was_typed(twelve, client):
    page = parsed(_page(client, twelve, "?status-1.2=partially_met&points-1.2=3"))
    assert "less than 2.5 points" in text(page.select_one("#what-if-problems"))
    assert page.select_one("input[name='points-1.2']")["value"] == "3"
    assert page.select_one("#what-if-result") is None


def test_the_overview_links_to_the_page(world, client):
    client.force_login(world.users["reviewer"])
    page = parsed(client.get(reverse("assessments:overview", args=["MS", 2023])))
    link = page.find("a", string="What if…")
    assert link["href"] == reverse("assessments:what_if", args=["MS", 2023])


# Saved scenarios


def test_an_analyst_saves_a_scenario_and_opens_it_again(twelve, client):
    query = "status-1.1=fully_met&enact=&status-1.2=partially_met&points-1.2=2.25"
    client.force_login(twelve.users["analyst"])
    save = reverse("assessments:scenario_save", args=["MS", 2023])
    before = list(ScoreSnapshot.objects.order_by("id").values())
    response = client.post(save, {"query": query, "name": "HB 123", "bill_number": "HB 123"})
    assert list(ScoreSnapshot.objects.order_by("id").values()) == before  # never scores

    scenario = Scenario.objects.get()
    assert scenario.name == "HB 123"
    assert scenario.created_by == twelve.users["analyst"]
    assert response["Location"] == reverse(
        "assessments:scenario_open", args=["MS", 2023, scenario.pk]
    )
    page = parsed(client.get(response["Location"]))
    assert "HB 123" in text(page.select_one("#what-if-scenario"))
    assert text(page.select_one("#what-if-total")) == "4.75 D"

    client.force_login(twelve.users["publisher"])  # every role reads saved scenarios
    listing = parsed(client.get(reverse("assessments:what_if", args=["MS", 2023])))
    link = listing.select_one("#saved-scenarios a")
    assert text(link) == "HB 123"
    opened = client.get(link["href"], follow=True)
    assert text(parsed(opened).select_one("#what-if-total")) == "4.75 D"
    assert not parsed(opened).select("#scenario-save")  # only analysts save


def test_a_scenario_without_a_name_is_not_saved_and_keeps_the_text(twelve, client):
    client.force_login(twelve.users["analyst"])
    response = client.post(
        reverse("assessments:scenario_save", args=["MS", 2023]),
        {"query": "status-1.1=fully_met", "name": " ", "bill_text": "Safe Harbor bill"},
    )
    assert response.status_code == 400
    page = parsed(response)
    assert "Give the scenario a name" in text(page.select_one("#scenario-problems"))
    assert page.select_one("#scenario-bill-text")["value"] == "Safe Harbor bill"
    assert not Scenario.objects.exists()


def test_a_refused_scenario_is_not_saved(twelve, client):
    client.force_login(twelve.users["analyst"])
    response = client.post(
        reverse("assessments:scenario_save", args=["MS", 2023]),
        {"query": "status-1.2=partially_met&points-1.2=9", "name": "Too much"},
    )
    assert response.status_code == 400
    assert "less than 2.5 points" in text(parsed(response).select_one("#what-if-problems"))
    assert not Scenario.objects.exists()
