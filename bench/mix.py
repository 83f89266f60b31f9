"""The parts bench/load.py --mix adds to the read-only load test: a private redis-server
and a real Celery worker (with beat) on the bench database, the work each analyst is
given, and what the database says after the run (approvals and saves recorded,
recomputes run, scores equal to a fresh recompute).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import astuple, dataclass
from pathlib import Path

import local_redis
import setup_env

YEAR = 2023
WORKER_NAME = f"bench-load-{os.getpid()}"  # also tells this run's worker processes apart
CHANGE_REASON = "Bench: mixed load"  # the analysts' saves, as locustfile.py sends them
SNAPSHOT_FIELDS = (
    *("jurisdiction__code", "issues", "extra_credit", "base", "total", "grade", "rank"),
    *("tied", "tier", "change", "approved_goals", "source_versions"),
)


def start_redis(directory: str) -> tuple[subprocess.Popen, int]:
    """A redis-server of this run's own (bench/local_redis.py)."""
    binary = local_redis.redis_binary()
    if not binary:
        raise SystemExit("redis-server is not installed (apt-get install -y redis-server)")
    port = local_redis.free_port()
    try:
        return local_redis.start_redis_server(binary, port, directory), port
    except RuntimeError as error:
        raise SystemExit(str(error)) from None


def start_worker(database_url: str, redis_url: str, directory: str) -> subprocess.Popen:
    """One Celery worker process with beat, as `make serve` runs them, on the bench
    database and the private redis; its log is worker.log in `directory`."""
    log_path = Path(directory) / "worker.log"
    env = {
        **os.environ,
        **setup_env.BENCH_ENV,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "INFO",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "reportcards", "worker", "--beat",
         "--schedule", str(Path(directory) / "beat-schedule"), "--concurrency", "1",
         "--loglevel", "INFO", "--without-gossip", "--without-mingle",
         "-n", f"{WORKER_NAME}@%h"],
        cwd=setup_env.ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while "ready." not in log_path.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the Celery worker did not start:\n" + log_path.read_text()[-3000:])
        time.sleep(0.3)
    return worker


def stop(process: subprocess.Popen | None, *, group: bool = False) -> None:
    """Terminate a process this script started, and kill it if it is still there after
    30 s: with `group`, its whole process group (one started in a session of its own)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(timeout=10)


def assign_work(analysts: list[str]) -> dict[str, str]:
    """One jurisdiction per analyst, among those whose goals are approved (not MS, the
    reference, and not the ones load.py put in the review queue): analysts do not edit
    each other's goals, reviewers share one queue."""
    from assessments.models import Assessment

    codes = list(
        Assessment.objects.filter(cycle__year=YEAR)
        .exclude(jurisdiction__code="MS")
        .exclude(determinations__review_state="submitted")
        .order_by("jurisdiction__code")
        .values_list("jurisdiction__code", flat=True)
        .distinct()
    )
    if len(codes) < len(analysts):
        raise SystemExit(f"{len(analysts)} analysts but only {len(codes)} free jurisdictions")
    return dict(zip(analysts, codes, strict=False))


def goal_numbers() -> list[str]:
    from assessments.models import Cycle

    cycle = Cycle.objects.select_related("framework").get(year=YEAR)
    return list(cycle.framework.goals.order_by("ordering").values_list("number", flat=True))


@dataclass(frozen=True)
class Tally:
    """What the database holds at one moment: recomputes run and workflow records."""

    runs: int
    approvals: int
    reopens: int  # saves of approved goals: they change the scores too
    submits: int
    requests_for_changes: int
    saves: int

    @classmethod
    def now(cls) -> Tally:
        from django.db.models import Count, Q

        from assessments.models import CycleScoreState, GoalDetermination, ReviewEvent

        action = ReviewEvent.Action
        events = ReviewEvent.objects.aggregate(
            approvals=Count("id", filter=Q(action=action.APPROVE)),
            reopens=Count("id", filter=Q(action=action.REOPEN)),
            submits=Count("id", filter=Q(action=action.SUBMIT)),
            requests_for_changes=Count("id", filter=Q(action=action.REQUEST_CHANGES)),
        )
        saves = GoalDetermination.history.filter(history_change_reason=CHANGE_REASON).count()
        state = CycleScoreState.objects.get(cycle__year=YEAR)
        return cls(runs=state.runs, saves=saves, **events)

    def __sub__(self, other: Tally) -> Tally:
        return Tally(*(a - b for a, b in zip(astuple(self), astuple(other), strict=True)))


def wait_until_settled(timeout: float = 180) -> float:
    """Seconds until the worker has counted every change and nothing is queued or running
    (the recompute is queued SCORE_RECOMPUTE_DELAY after a change, so this takes a few)."""
    from assessments.models import CycleScoreState

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        state = CycleScoreState.objects.get(cycle__year=YEAR)
        if not (state.stale or state.queued_at or state.running_since):
            return time.monotonic() - start
        time.sleep(0.5)
    raise SystemExit(f"the scores did not settle within {timeout:.0f} s of the end of the run")


def scores_equal_a_fresh_recompute() -> tuple[bool, int]:
    """Whether the snapshots the worker left are exactly what a recompute now stores, and
    how many jurisdictions that compared."""
    from assessments.models import Cycle, ScoreSnapshot
    from assessments.recompute import cycle_recompute

    def stored():
        return list(
            ScoreSnapshot.objects.filter(cycle__year=YEAR)
            .order_by("jurisdiction__code")
            .values(*SNAPSHOT_FIELDS)
        )

    kept = stored()
    cycle_recompute(cycle_id=Cycle.objects.get(year=YEAR).pk)
    return stored() == kept, len(kept)
