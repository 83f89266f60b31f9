"""Framework edits in the admin re-score the cycles they affect.

Mississippi's goal 1.1 (2.5 points, up to 1 point of child-labor extra credit) is approved
in each test; Tennessee has nothing approved.
"""

from decimal import Decimal as D

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.models import (
    CycleScoreState,
    ExtraCreditAward,
    ExtraCreditOpportunity,
    ScoreSnapshot,
)
from assessments.recompute import cycle_recompute
from assessments.scoring import Status

pytestmark = pytest.mark.django_db


def mississippi_total(world):
    return ScoreSnapshot.objects.get(cycle=world.cycle, jurisdiction__code="MS").total


@pytest.fixture
def extra_credit(world):
    """Goal 1.1 fully met with the whole child-labor point, and the cycle scored."""
    ExtraCreditAward.objects.create(
        determination=world.determination("MS", "1.1"), category=world.clt, points=1
    )
    world.approve("MS", "1.1")
    cycle_recompute(cycle_id=world.cycle.id)
    return ExtraCreditOpportunity.objects.get(goal=world.goals["1.1"])


def goal_form(goal, max_points, opportunity=None, opportunity_max=None):
    """The admin's change form of a goal as submitted, with its extra-credit inline."""
    form = {
        "framework": goal.framework_id,
        "issue_area": goal.issue_area_id,
        "number": goal.number,
        "text": goal.text,
        "max_points": max_points,
        "ordering": goal.ordering,
        "extra_credit_opportunities-TOTAL_FORMS": "0",
        "extra_credit_opportunities-INITIAL_FORMS": "0",
    }
    if opportunity is not None:
        form |= {
            "extra_credit_opportunities-TOTAL_FORMS": "1",
            "extra_credit_opportunities-INITIAL_FORMS": "1",
            "extra_credit_opportunities-0-id": opportunity.pk,
            "extra_credit_opportunities-0-goal": goal.pk,
            "extra_credit_opportunities-0-category": opportunity.category_id,
            "extra_credit_opportunities-0-max_points": opportunity_max,
        }
    return form


def change_goal(client, goal, form):
    return client.post(reverse("admin:assessments_policygoal_change", args=[goal.pk]), form)


def test_it_rescores_the_cycle_when_an_admin_lowers_an_extra_credit_maximum(
    client, world, extra_credit, django_capture_on_commit_callbacks
):
    assert mississippi_total(world) == D("3.5")
    goal = world.goals["1.1"]
    client.force_login(world.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = change_goal(client, goal, goal_form(goal, "2.5", extra_credit, "0.25"))
    assert response.status_code == 302
    # The whole point awarded now counts for the new maximum of 0.25.
    assert mississippi_total(world) == D("2.75")


def test_it_counts_nothing_for_an_award_whose_opportunity_was_withdrawn(world, extra_credit):
    extra_credit.delete()
    cycle_recompute(cycle_id=world.cycle.id)
    assert mississippi_total(world) == D("2.5")


def test_it_refuses_a_maximum_at_or_below_partial_credit_already_given(client, world):
    world.approve("MS", "1.1", Status.PARTIALLY_MET, D("1.5"))
    goal = world.goals["1.1"]
    client.force_login(world.users["admin"])
    response = change_goal(client, goal, goal_form(goal, "1.5"))
    assert response.status_code == 200
    error = BeautifulSoup(response.content, "html.parser").select_one(
        ".field-max_points .errorlist"
    )
    assert "(1.5)" in error.get_text() and "Lower those determinations first" in error.get_text()
    goal.refresh_from_db()
    assert goal.max_points == D("2.5")
    assert not CycleScoreState.objects.filter(stale=True).exists()


def test_it_gives_fully_met_goals_a_new_maximum(client, world, django_capture_on_commit_callbacks):
    world.approve("MS", "1.1")
    goal = world.goals["1.1"]
    client.force_login(world.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = change_goal(client, goal, goal_form(goal, "3"))
    assert response.status_code == 302
    determination = world.determination("MS", "1.1")
    assert (determination.points, determination.review_state) == (D("3"), "approved")
    assert mississippi_total(world) == D("3")
