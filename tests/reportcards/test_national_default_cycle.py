"""The national table opens on the latest cycle that has scores (issue 14): a freshly
created cycle, whose stored scores are all zero, is one click away and said so."""

import pytest
from django.urls import reverse

from assessments.models import GoalDetermination
from assessments.recompute import cycle_recompute
from tests.factories import (
    AssessmentFactory,
    CycleFactory,
    DeterminationFactory,
    approve_as_they_are,
)
from tests.pages import parsed, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_2024(world):
    """2023 scored with MS's goals approved; 2024 just created and recomputed: every
    jurisdiction at 0, tied first with an F."""
    world.approve_all("MS")
    cycle_recompute(cycle_id=world.cycle.pk)
    cycle = CycleFactory(year=2024, framework=world.framework)
    for jurisdiction in world.jurisdictions.values():
        assessment = AssessmentFactory(jurisdiction=jurisdiction, cycle=cycle)
        for goal in world.goals.values():
            DeterminationFactory(assessment=assessment, goal=goal)
    cycle_recompute(cycle_id=cycle.pk)
    return cycle


def table(client, world, **query):
    client.force_login(world.users["analyst"])
    return parsed(client.get(reverse("national"), query))


def test_it_opens_on_the_latest_cycle_with_scores_and_links_the_fresh_one(
    client, world, fresh_2024
):
    page = table(client, world)
    assert text(page.h1) == "2023 report cards: national table"
    assert page.select_one("#cycle option[selected]")["value"] == "2023"
    note = page.select_one("#unscored-cycles")
    assert text(note) == (
        "Showing 2023, the latest cycle with scores. The 2024 cycle has no scores yet: "
        "no goal of it is approved and counted."
    )
    assert note.a["href"] == "?cycle=2024"
    assert [row["data-code"] for row in page.select("tr[data-code]")][0] == "MS"


def test_the_fresh_cycle_still_opens_when_asked_for(client, world, fresh_2024):
    page = table(client, world, cycle=2024)
    assert text(page.h1) == "2024 report cards: national table"
    assert page.select_one("#unscored-cycles") is None


def test_it_opens_on_the_newest_cycle_once_it_has_scores(client, world, fresh_2024):
    approve_as_they_are(GoalDetermination.objects.filter(assessment__cycle=fresh_2024)[:1])
    cycle_recompute(cycle_id=fresh_2024.pk)
    page = table(client, world)
    assert text(page.h1) == "2024 report cards: national table"
    assert page.select_one("#unscored-cycles") is None


def test_with_no_cycle_scored_it_opens_on_the_newest(client, world):
    page = table(client, world)
    assert text(page.h1) == "2023 report cards: national table"
    assert page.select_one("#unscored-cycles") is None
