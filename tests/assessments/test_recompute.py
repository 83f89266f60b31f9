"""The recompute is idempotent, safe to run concurrently and honest about staleness, on
the small world (the national picture run twice is in test_national_recompute.py)."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from assessments import services
from assessments.models import CycleScoreState, GoalDetermination, ReviewState, ScoreSnapshot
from assessments.recompute import cycle_mark_stale, cycle_recompute
from assessments.scoring import Status
from assessments.tasks import recompute_cycle, sweep_stale_scores
from tests.factories import small_world

FIELDS = ("jurisdiction__code", "issues", "extra_credit", "base", "total", "grade", "rank",
          "tied", "tier", "change", "approved_goals", "source_versions")  # fmt: skip


def stored(cycle):
    return list(
        ScoreSnapshot.objects.filter(cycle=cycle).order_by("jurisdiction__code").values(*FIELDS)
    )


def stored_totals(cycle):
    return ScoreSnapshot.objects.filter(cycle=cycle).values_list("jurisdiction__code", "total")


def graded(world):
    """Mississippi fully approved with its extra-credit point, Tennessee partly: two
    different totals to rank."""
    world.determination("MS", "1.1").extra_credit_awards.create(category=world.clt, points=1)
    world.approve("MS", "1.1")
    world.approve("MS", "1.2")
    world.approve("MS", "2.1")
    world.approve("TN", "1.2", Status.PARTIALLY_MET, Decimal("1.25"))
    return world


@pytest.mark.django_db
def test_it_gives_the_same_snapshot_when_run_twice(world):
    cycle = graded(world).cycle
    cycle_recompute(cycle_id=cycle.id)
    first = stored(cycle)
    recompute_cycle.apply(args=[cycle.id]).get()
    assert stored(cycle) == first


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="Concurrent writers need PostgreSQL (CI's second pass runs this).",
)
@pytest.mark.django_db(transaction=True)
def test_it_gives_the_same_snapshot_when_run_concurrently(transactional_db):
    cycle = graded(small_world()).cycle
    cycle_recompute(cycle_id=cycle.id)
    expected = stored(cycle)
    errors = []

    def run():
        try:
            cycle_recompute(cycle_id=cycle.id)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert stored(cycle) == expected


@pytest.mark.django_db
def test_it_records_which_determination_versions_it_counted(world):
    world.approve("MS", "1.1")
    GoalDetermination.objects.filter(pk=world.determinations["MS", "1.2"].pk).update(version=3)
    world.approve("MS", "1.2")
    cycle_recompute(cycle_id=world.cycle.id)
    ms = ScoreSnapshot.objects.get(cycle=world.cycle, jurisdiction__code="MS")
    assert ms.source_versions == {"1.1": 1, "1.2": 3}


@pytest.mark.django_db
def test_it_keeps_the_stale_mark_when_a_change_arrives_during_the_recompute(world, monkeypatch):
    import assessments.recompute as recompute

    real_standings = recompute.scoring.standings

    def change_arrives_meanwhile(totals, tiers):
        cycle_mark_stale(cycle_id=world.cycle.id, queue=False)  # another approval lands now
        return real_standings(totals, tiers)

    monkeypatch.setattr(recompute.scoring, "standings", change_arrives_meanwhile)
    cycle_recompute(cycle_id=world.cycle.id)
    assert CycleScoreState.objects.get(cycle=world.cycle).stale


@pytest.mark.django_db
def test_it_clears_the_stale_mark_when_nothing_changed_meanwhile(world):
    cycle_mark_stale(cycle_id=world.cycle.id, queue=False)
    cycle_recompute(cycle_id=world.cycle.id)
    state = CycleScoreState.objects.get(cycle=world.cycle)
    assert not state.stale and state.stale_since is None


@pytest.mark.django_db
def test_it_sweeps_stale_cycles_back_to_current(world):
    cycle_mark_stale(cycle_id=world.cycle.id, queue=False)
    assert sweep_stale_scores.apply().get() == [world.cycle.id]
    assert not CycleScoreState.objects.get(cycle=world.cycle).stale


@pytest.mark.django_db
def test_it_says_in_json_whether_scores_are_current(client, world):
    client.force_login(world.users["analyst"])
    cycle_recompute(cycle_id=world.cycle.id)
    assert client.get("/scores/2023/status/").json()["stale"] is False


@pytest.mark.django_db
def test_it_says_in_json_since_when_scores_are_stale(client, world):
    client.force_login(world.users["analyst"])
    cycle_mark_stale(cycle_id=world.cycle.id, queue=False)
    status = client.get("/scores/2023/status/").json()
    assert status["stale"] is True and status["stale_since"]


def submit_all(world):
    """Every goal of the small world waiting for review, fully met (6 determinations)."""
    GoalDetermination.objects.filter(assessment__cycle=world.cycle).update(
        review_state=ReviewState.SUBMITTED, status=Status.FULLY_MET, points=Decimal("2.5")
    )
    return list(GoalDetermination.objects.filter(assessment__cycle=world.cycle).order_by("pk"))


def approve_each(world, determinations):
    for determination in determinations:
        services.determination_approve(
            determination_id=determination.pk,
            user=world.users["reviewer"],
            expected_version=determination.version,
        )


@pytest.mark.django_db
def test_it_queues_one_recompute_for_a_burst_of_approvals(world, monkeypatch):
    """While a recompute is queued and not started, approvals queue nothing more; the one
    run counts them all, and the next approval after it started queues the next run."""
    import assessments.recompute as recompute

    sent = []
    monkeypatch.setattr(recompute, "queue_recompute", lambda cycle_id, delay: sent.append(delay))
    *burst, last = submit_all(world)
    with TestCase.captureOnCommitCallbacks(execute=True):
        approve_each(world, burst)
    assert sent == [settings.SCORE_RECOMPUTE_DELAY]

    assert recompute_cycle.apply(args=[world.cycle.id]).get() == 2
    state = CycleScoreState.objects.get(cycle=world.cycle)
    assert (state.runs, state.stale) == (1, False)
    totals = dict(stored_totals(world.cycle))
    assert totals == {"MS": Decimal("7.5"), "TN": Decimal("5.0")}  # 5 approvals counted

    with TestCase.captureOnCommitCallbacks(execute=True):
        approve_each(world, [last])
    assert len(sent) == 2


@pytest.mark.django_db
def test_it_runs_one_recompute_for_approvals_committed_together(world):
    """With tasks run in-process (no Redis), each commit's run starts at once; runs that
    find every change already counted do nothing."""
    with TestCase.captureOnCommitCallbacks(execute=False) as commits:
        approve_each(world, submit_all(world))
    for callback in commits:  # the six commits, one after another
        callback()
    state = CycleScoreState.objects.get(cycle=world.cycle)
    assert (state.runs, state.stale) == (1, False)
    assert dict(stored_totals(world.cycle)) == {"MS": Decimal("7.5"), "TN": Decimal("7.5")}


@pytest.mark.django_db
def test_it_does_not_sweep_a_cycle_whose_recompute_is_on_the_way(world):
    cycle_mark_stale(cycle_id=world.cycle.id, queue=False)
    CycleScoreState.objects.filter(cycle=world.cycle).update(queued_at=timezone.now())
    assert sweep_stale_scores.apply().get() == []
    lost = timezone.now() - timedelta(seconds=settings.SCORE_RECOMPUTE_LOST_AFTER + 1)
    CycleScoreState.objects.filter(cycle=world.cycle).update(queued_at=lost)
    assert sweep_stale_scores.apply().get() == [world.cycle.id]  # its message was lost
    assert not CycleScoreState.objects.get(cycle=world.cycle).stale
