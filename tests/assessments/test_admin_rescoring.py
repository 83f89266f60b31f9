"""Framework edits in the admin re-score the cycles they affect.

Mississippi's goal 1.1 (2.5 points, up to 1 point of child-labor extra credit) is approved
in each test; Tennessee has nothing approved.
"""

import json
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


def framework_form(framework, **changes):
    """The admin's change form of a framework as submitted, its inlines left as they are."""
    form = {
        "name": framework.name,
        "version": framework.version,
        "year": framework.year,
        "extra_credit_cap": framework.extra_credit_cap,
        "grading_scale": json.dumps(framework.grading_scale),
        "tier_top": framework.tier_top,
        "tier_bottom": framework.tier_bottom,
        "cutoff_month": framework.cutoff_month,
        "cutoff_day": framework.cutoff_day,
        "cutoff_rule": framework.cutoff_rule,
        "texts": json.dumps(framework.texts),
        "note": framework.note,
        "content_sha256": framework.content_sha256,
    }
    for prefix in ("issue_areas", "extra_credit_categories"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return form | changes


def test_it_retiers_the_cycle_when_an_admin_changes_the_tier_sizes(
    client, world, django_capture_on_commit_callbacks
):
    world.approve_all("MS")
    cycle_recompute(cycle_id=world.cycle.id)
    client.force_login(world.users["admin"])
    url = reverse("admin:assessments_framework_change", args=[world.framework.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, framework_form(world.framework, tier_top=1, tier_bottom=1))
    assert response.status_code == 302
    tiers = dict(ScoreSnapshot.objects.values_list("jurisdiction__code", "tier"))
    assert tiers == {"MS": 1, "TN": 3}


def test_it_refuses_a_grading_scale_that_cannot_grade(client, world):
    client.force_login(world.users["admin"])
    url = reverse("admin:assessments_framework_change", args=[world.framework.pk])
    scale = [{"grade": "A", "minimum_percent": "90"}, {"grade": "F", "minimum_percent": "50"}]
    response = client.post(url, framework_form(world.framework, grading_scale=json.dumps(scale)))
    assert response.status_code == 200
    error = BeautifulSoup(response.content, "html.parser").select_one(
        ".field-grading_scale .errorlist"
    )
    assert "its minimum_percent must be 0" in error.get_text()
    world.framework.refresh_from_db()
    assert world.framework.grading_scale[-1] == {"grade": "F", "minimum_percent": "0"}
