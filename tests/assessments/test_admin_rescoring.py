"""Framework and cycle edits in the admin re-score the cycles they affect."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from assessments.models import (
    CycleScoreState,
    ExtraCreditOpportunity,
    GoalDetermination,
    PolicyGoal,
    ScoreSnapshot,
)
from assessments.scoring import Status, fmt

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


def test_it_rescores_the_cycle_when_an_admin_changes_an_extra_credit_maximum(
    client, users, cycle, django_capture_on_commit_callbacks
):
    before = CycleScoreState.objects.get(cycle=cycle).generation
    opportunity = ExtraCreditOpportunity.objects.get(goal__number="1.7", category__code="clt")
    goal = opportunity.goal
    client.force_login(users["admin"])
    form = {
        "framework": goal.framework_id,
        "issue_area": goal.issue_area_id,
        "number": goal.number,
        "text": goal.text,
        "max_points": "2.5",
        "ordering": goal.ordering,
        "extra_credit_opportunities-TOTAL_FORMS": "1",
        "extra_credit_opportunities-INITIAL_FORMS": "1",
        "extra_credit_opportunities-0-id": opportunity.pk,
        "extra_credit_opportunities-0-goal": goal.pk,
        "extra_credit_opportunities-0-category": opportunity.category_id,
        "extra_credit_opportunities-0-max_points": "0.25",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:assessments_policygoal_change", args=[goal.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    state = CycleScoreState.objects.get(cycle=cycle)
    assert state.generation > before and not state.stale
    # Mississippi's 0.50 child-labor award on 1.7 now counts for the new maximum of 0.25.
    ms = ScoreSnapshot.objects.get(cycle=cycle, jurisdiction__code="MS")
    assert ms.extra_credit["clt"] == "4.75"
    assert ms.total == D("68.25")


def test_it_counts_nothing_for_an_award_whose_opportunity_was_withdrawn(cycle):
    from assessments.recompute import cycle_recompute

    ExtraCreditOpportunity.objects.get(goal__number="2.10", category__code="clt").delete()
    cycle_recompute(cycle_id=cycle.id)
    ms = ScoreSnapshot.objects.get(cycle=cycle, jurisdiction__code="MS")
    assert ms.extra_credit["clt"] == "4.00" and ms.total == D("67.5")


def goal_form(goal, max_points):
    return {
        "framework": goal.framework_id,
        "issue_area": goal.issue_area_id,
        "number": goal.number,
        "text": goal.text,
        "max_points": max_points,
        "ordering": goal.ordering,
        "extra_credit_opportunities-TOTAL_FORMS": "0",
        "extra_credit_opportunities-INITIAL_FORMS": "0",
    }


def highest_partial_credit(goal):
    return (
        GoalDetermination.objects.filter(goal=goal, status=Status.PARTIALLY_MET)
        .order_by("-points")
        .values_list("points", flat=True)
        .first()
    )


def test_it_refuses_a_maximum_at_or_below_partial_credit_already_given(client, users, cycle):
    goal = PolicyGoal.objects.get(framework=cycle.framework, number="1.1")
    highest = highest_partial_credit(goal)
    assert highest is not None
    client.force_login(users["admin"])
    url = reverse("admin:assessments_policygoal_change", args=[goal.pk])
    response = client.post(url, goal_form(goal, str(highest)))
    assert response.status_code == 200
    message = response.context["adminform"].form.errors["max_points"][0]
    assert f"({fmt(highest)})" in message and "Lower those determinations first" in message
    goal.refresh_from_db()
    assert goal.max_points == D("2.5")
    assert not CycleScoreState.objects.get(cycle=cycle).stale


def test_a_new_maximum_is_what_fully_met_goals_earn(
    client, users, cycle, django_capture_on_commit_callbacks
):
    goal = PolicyGoal.objects.get(framework=cycle.framework, number="1.1")
    fully_met = GoalDetermination.objects.filter(
        goal=goal, status=Status.FULLY_MET, review_state="approved"
    ).select_related("assessment__jurisdiction")[0]
    code = fully_met.assessment.jurisdiction.code
    before = ScoreSnapshot.objects.get(cycle=cycle, jurisdiction__code=code).total
    new_max = max(highest_partial_credit(goal) or D("0"), D("2")) + D("0.25")
    client.force_login(users["admin"])
    url = reverse("admin:assessments_policygoal_change", args=[goal.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, goal_form(goal, str(new_max)))
    assert response.status_code == 302
    fully_met.refresh_from_db()
    assert fully_met.points == new_max and fully_met.review_state == "approved"
    state = CycleScoreState.objects.get(cycle=cycle)
    assert not state.stale, "the recompute succeeded"
    after = ScoreSnapshot.objects.get(cycle=cycle, jurisdiction__code=code).total
    assert after == before - D("2.5") + new_max
