"""Publish jobs always finish on a real worker (issue 12): after a `kill -9` of the worker
mid-publish, and after PostgreSQL terminates the worker's connection mid-publish, the job
ends finished or failed within a bounded time, and the next publish works.

Each step of a job takes 2 s here (`tests/celery/slow_steps.py`), leases last 4 s and the
sweep runs every second, so a dead worker is noticed within seconds, not minutes.
"""

import pytest
from django.db import connection

# Tasks defined before the `broker` fixture closes the app (see test_publish_worker.py).
import assessments.tasks  # noqa: F401
import reportcards.tasks  # noqa: F401
from reportcards.models import JobState, PublishedReportCard, PublishJob
from tests.celery.test_publish_worker import publish_mississippi

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("slow_short_leased_jobs"),
]

BOUND = 120  # seconds a job may take to end after its worker or connection died


def current(job) -> PublishJob:
    return PublishJob.objects.get(pk=job.pk)


def finished(job, wait_for, worker, *, message: str) -> PublishJob:
    """The job once it has ended, whichever way; `message` says what did not happen."""
    wait_for(lambda: current(job).finished, timeout=BOUND, message=message, log=worker.log)
    return current(job)


def publish_and_wait(users, wait_for, worker, *, note="") -> PublishJob:
    """What the team does next: approve a correction, then the publisher asks again (no
    "already being published") and gets it. The gate refuses a version built from the
    same approvals as the last one, so something is corrected first."""
    from assessments.models import GoalDetermination
    from tests.celery.test_concurrent_review_worker import approval, settled, submitted

    goal = GoalDetermination.objects.get(
        assessment__jurisdiction__code="MS", assessment__cycle__year=2023, goal__number="1.1"
    )
    (waiting,) = submitted([goal], users["analyst"])
    approval(waiting, users["reviewer"])()
    settled(wait_for, worker)
    job = publish_mississippi(users["publisher"], note)
    return finished(job, wait_for, worker, message="the next publish did not finish")


def rendering_job(start_worker, users, wait_for, *, processes: int = 0):
    """A worker (with beat) and the publish job it is rendering the PDF of."""
    worker = start_worker(beat=True, processes=processes)
    job = publish_mississippi(users["publisher"])
    wait_for(
        lambda: current(job).message == "Rendering the PDF",
        timeout=60,
        message="the worker did not start rendering",
        log=worker.log,
    )
    return worker, job


def test_a_job_whose_worker_was_killed_mid_publish_is_retried_and_publishes(
    start_worker, users, wait_for
):
    worker, job = rendering_job(start_worker, users, wait_for)
    worker.kill()
    assert current(job).state == JobState.RUNNING  # nobody is left to say otherwise

    replacement = start_worker(beat=True)
    job = finished(job, wait_for, replacement, message="the job of the killed worker did not end")
    assert (job.state, job.attempts) == (JobState.DONE, 2)
    assert job.attempt_log.startswith(
        "Attempt 1: The worker stopped during “Rendering the PDF” (no heartbeat for "
    )
    assert PublishedReportCard.objects.get().version == 1

    again = publish_and_wait(users, wait_for, replacement, note="Published again after a crash")
    assert again.state == JobState.DONE
    assert PublishedReportCard.objects.latest().version == 2


def terminate_other_connections() -> int:
    """What a database restart or an administrator does to the worker's connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_job_whose_database_connection_was_terminated_mid_publish_ends_and_says_why(
    start_worker, users, wait_for
):
    worker, job = rendering_job(start_worker, users, wait_for)
    assert terminate_other_connections() >= 1

    job = finished(
        job, wait_for, worker, message="the job whose connection was terminated did not end"
    )
    # The failure was written on a new connection, with what happened.
    assert job.state == JobState.FAILED, job.error
    assert job.error.startswith("The database failed during “Rendering the PDF”: ")
    assert not PublishedReportCard.objects.exists()

    again = publish_and_wait(users, wait_for, worker)
    assert again.state == JobState.DONE
    assert PublishedReportCard.objects.get().version == 1
