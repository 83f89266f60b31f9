"""Scores recomputed by a real Celery worker on a real Redis, through outages."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import CycleScoreState, GoalDetermination, ScoreSnapshot
from assessments.services import DeterminationData

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def rhode_island_goal_not_met():
    return (
        GoalDetermination.objects.filter(
            assessment__jurisdiction__code="RI", assessment__cycle__year=2023, status="not_met"
        )
        .select_related("goal")
        .order_by("goal__ordering")
        .first()
    )


def approve_as_fully_met(determination, users):
    """Rhode Island, tied with Mississippi at 68.5, gains 2.5 points through the workflow."""
    saved = services.determination_save(
        determination_id=determination.pk,
        user=users["analyst"],
        expected_version=determination.version,
        data=DeterminationData(status="fully_met", points=None, narrative="Now fully met."),
        change_reason="New statute enacted",
    )
    services.determination_submit(
        determination_id=saved.pk, user=users["analyst"], expected_version=saved.version
    )
    return services.determination_approve(
        determination_id=saved.pk, user=users["reviewer"], expected_version=saved.version
    )


def mississippi():
    return ScoreSnapshot.objects.get(cycle__year=2023, jurisdiction__code="MS")


def wait_for_mississippi_11th(wait_for, worker, *, timeout: float, message: str):
    """Until the scores are current again with Mississippi ranked 11th."""
    wait_for(
        lambda: (
            mississippi().rank == 11 and not CycleScoreState.objects.get(cycle__year=2023).stale
        ),
        timeout=timeout,
        message=message,
        log=worker.log,
    )


def test_it_moves_mississippi_out_of_tier_one_when_a_tied_state_gains(
    start_worker, users, wait_for
):
    worker = start_worker()
    assert (mississippi().rank, mississippi().tied, mississippi().tier) == (10, True, 1)
    approve_as_fully_met(rhode_island_goal_not_met(), users)
    wait_for_mississippi_11th(
        wait_for, worker, timeout=30, message="the worker did not recompute after the approval"
    )
    ms = mississippi()
    assert (ms.total, ms.tied, ms.tier) == (D("68.5"), False, 2)
    ri = ScoreSnapshot.objects.get(cycle__year=2023, jurisdiction__code="RI")
    assert ri.total == D("71") and ri.rank < 10
    state = CycleScoreState.objects.get(cycle__year=2023)
    assert not state.stale and state.computed_generation == state.generation


def test_it_loses_no_approval_while_redis_is_down(start_worker, broker, users, client, wait_for):
    worker = start_worker(beat=True)
    broker.stop()
    determination = approve_as_fully_met(rhode_island_goal_not_met(), users)
    determination.refresh_from_db()
    assert determination.review_state == "approved"
    assert CycleScoreState.objects.get(cycle__year=2023).stale
    assert mississippi().rank == 10  # not recomputed yet: the broker is down
    client.force_login(users["reviewer"])
    page = client.get(reverse("national")).content.decode()
    assert "Scores are being recomputed" in page
    broker.start()
    wait_for_mississippi_11th(
        wait_for, worker, timeout=60, message="the sweep did not catch up after Redis came back"
    )
    assert ScoreSnapshot.objects.get(cycle__year=2023, jurisdiction__code="RI").total == D("71")


def test_it_reports_a_failed_queue_instead_of_failing_the_request(
    broker, sample_data, cycle, caplog
):
    from assessments.recompute import queue_recompute

    broker.stop()
    assert queue_recompute(cycle.id) is False
    assert "Could not queue the recompute" in caplog.text
