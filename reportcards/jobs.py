"""Background jobs that always finish: leases, steps, cancellation and recorded failures.

Every kind of job (a model derived from `reportcards.models.Job`) runs through `run_job`:

- **start**: a queued job (or a running one whose lease expired) becomes running; its
  attempt count goes up and it takes a lease of `JOB_LEASE_SECONDS`.
- **steps**: `job_step` records progress and renews the lease; `job_heartbeat` only renews
  it (for long steps, e.g. after each rendered page). Both stop the run (`JobStopped`) when
  the job is no longer its own: cancelled by a user, or taken over by a later attempt after
  the sweep decided this run was dead.
- **the end**: `job_finishing` is the one transaction that records the outcome; `job_fail`
  records a failure on a working connection (the run may have failed *because* its
  connection died).
- **the sweep** (`jobs_sweep_expired`, run by beat): a running job whose lease ran out lost
  its worker (killed, lost its database connection, its message lost with Redis); it is
  queued again with the reason written on the job, or failed after `JOB_MAX_ATTEMPTS`.

Only the run that owns the job (same attempt, still running) writes to it, so two runs of
one job (a duplicate message, a redelivery) never both record an outcome.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, router, transaction
from django.db import connections as db_connections
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.module_loading import import_string

from assessments.services import WorkflowError

from .models import ACTIVE_STATES, Job, JobState

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """The job cannot complete; the message is shown on the job's page as is."""


class JobStopped(Exception):
    """This run no longer owns the job (cancelled, finished, or taken over by a later
    attempt); it stops and records nothing."""


class JobNotActive(Exception):
    """A cancel of a job that has already ended; the message says how it ended."""


def queue_job(task, job: Job) -> bool:
    """Send the job's task to the workers; False (and a log line) when that fails.

    Runs after the job committed, so a broker outage does not turn the request into an
    error page: the job stays queued and the sweep sends it again.
    """
    try:
        task.delay(job.pk)
    except Exception:  # the broker is down (or an eager task failed); the sweep retries
        logger.warning("Could not queue %s %s", type(job).__name__, job.pk, exc_info=True)
        return False
    return True


def _lease_seconds() -> int:
    return settings.JOB_LEASE_SECONDS


def _lease_from(now: datetime) -> datetime:
    return now + timedelta(seconds=_lease_seconds())


def _owned(job: Job):
    """The job's row, as long as this run still owns it."""
    return type(job).objects.filter(pk=job.pk, state=JobState.RUNNING, attempts=job.attempts)


def job_start(job: Job, message: str) -> bool:
    """Make this run the job's owner; False when there is nothing to run (the job finished,
    was cancelled, or another run holds a live lease on it)."""
    now = timezone.now()
    # A running job whose lease ran out lost its worker; a redelivered message may take it
    # over before the sweep does, within the same bound on attempts.
    startable = Q(state=JobState.QUEUED) | Q(
        state=JobState.RUNNING,
        lease_expires_at__lt=now,
        attempts__lt=settings.JOB_MAX_ATTEMPTS,
    )
    started = (
        type(job)
        .objects.filter(startable, pk=job.pk)
        .update(
            state=JobState.RUNNING,
            attempts=F("attempts") + 1,
            lease_expires_at=_lease_from(now),
            started_at=now,
            progress=10,
            message=message,
            error="",
            updated_at=now,
        )
    )
    if started:
        job.refresh_from_db(fields=["state", "attempts", "lease_expires_at", "started_at"])
        job.progress, job.message = 10, message
    return bool(started)


def _run_step_hook(job: Job) -> None:
    if settings.JOB_STEP_HOOK:
        import_string(settings.JOB_STEP_HOOK)(job)


def job_step(job: Job, *, progress: int, message: str) -> None:
    """Record how far the job got and renew its lease; `JobStopped` when it is no longer
    this run's (cancelled meanwhile, or taken over)."""
    now = timezone.now()
    fields = {"progress": progress, "message": message, "lease_expires_at": _lease_from(now)}
    if not _owned(job).update(**fields, updated_at=now):
        raise JobStopped
    for name, value in fields.items():
        setattr(job, name, value)
    _run_step_hook(job)


def job_heartbeat(job: Job) -> None:
    """Renew the lease during a long step; `JobStopped` as for `job_step`."""
    now = timezone.now()
    if not _owned(job).update(lease_expires_at=_lease_from(now), updated_at=now):
        raise JobStopped


def _on_a_working_connection(model, write):
    """Run `write()` on the model's database connection, opening a new one first when the
    current one is dead (the server terminated it, the network dropped it), and once more
    after an error of the connection itself. Inside a transaction the connection cannot
    be replaced, so there the write is tried as it is."""
    connection = db_connections[router.db_for_write(model)]
    if connection.in_atomic_block:
        return write()
    if connection.connection is not None and not connection.is_usable():
        connection.close()
    try:
        return write()
    except (OperationalError, InterfaceError):
        logger.warning("Database connection lost; writing on a new one", exc_info=True)
        connection.close()
        return write()


def job_fail(job: Job, error: str) -> None:
    """End the job as failed with a readable error, unless it is no longer this run's."""
    now = timezone.now()
    fields = {
        "state": JobState.FAILED,
        "error": error,
        "message": "Failed",
        "finished_at": now,
        "lease_expires_at": None,
    }
    _on_a_working_connection(type(job), lambda: _owned(job).update(**fields, updated_at=now))
    for name, value in fields.items():
        setattr(job, name, value)


def job_done(job: Job, message: str, **fields) -> None:
    """Record the job's success; call inside `job_finishing`."""
    now = timezone.now()
    done = {"state": JobState.DONE, "progress": 100, "finished_at": now, "updated_at": now}
    type(job).objects.filter(pk=job.pk).update(
        message=message, lease_expires_at=None, **done, **fields
    )


@contextmanager
def job_finishing(job: Job, *stored_files):
    """The transaction that records the job's outcome, once, by the run that owns it: a run
    that lost the job stops. On any failure the files this run stored are deleted, since
    nothing will refer to them."""
    try:
        with transaction.atomic():
            locked = type(job).objects.select_for_update().filter(pk=job.pk)
            if not locked.filter(state=JobState.RUNNING, attempts=job.attempts).exists():
                raise JobStopped
            yield
    except BaseException:
        for stored_file in stored_files:
            if stored_file:
                stored_file.storage.delete(stored_file.name)
        raise
    job.refresh_from_db()


def _step_name(job: Job) -> str:
    return job.message.rstrip(".") or "the first step"


def run_job(job: Job, first_step: str, work) -> None:
    """Start the job and run `work(job)`, unless there is nothing to run (a duplicate
    message, a redelivery of a finished job); any failure ends the job as failed with a
    readable error, recorded even when the run's database connection died."""
    if job.finished or not job_start(job, first_step):
        return
    try:
        work(job)
    except JobStopped:
        logger.info("%s %s: this run stopped (cancelled or taken over)", type(job).__name__, job.pk)
    except (JobFailed, WorkflowError) as error:
        job_fail(job, str(error))
    except DatabaseError as error:
        logger.exception("%s %s failed", type(job).__name__, job.pk)
        job_fail(job, f"The database failed during “{_step_name(job)}”: {error}".strip())
    except Exception as error:
        logger.exception("%s %s failed", type(job).__name__, job.pk)
        job_fail(job, f"Unexpected error ({type(error).__name__}): {error}")


def job_cancel(model: type[Job], *, job_id: int, user) -> Job:
    """Cancel a queued or running job. A running task notices at its next step and stops
    without recording anything; `JobNotActive` when the job has already ended."""
    now = timezone.now()
    cancelled = model.objects.filter(pk=job_id, state__in=ACTIVE_STATES).update(
        state=JobState.CANCELLED,
        message=f"Cancelled by {user.get_username()}",
        cancelled_by=user,
        finished_at=now,
        lease_expires_at=None,
        updated_at=now,
    )
    job = model.objects.get(pk=job_id)
    if not cancelled:
        raise JobNotActive(
            f"Job {job.pk} has already ended ({job.get_state_display().lower()}); "
            "there is nothing to cancel."
        )
    return job


def _silence(job: Job, now: datetime) -> int:
    """Seconds since the job's last heartbeat."""
    last = job.lease_expires_at - timedelta(seconds=_lease_seconds())
    return max(0, round((now - last).total_seconds()))


def _expire(job: Job, now: datetime) -> bool:
    """Re-queue (or, after the last attempt, fail) one job whose lease ran out; False when
    it changed meanwhile (a heartbeat came after all, a user cancelled it)."""
    reason = (
        f"The worker stopped during “{_step_name(job)}” (no heartbeat for {_silence(job, now)} s)"
    )
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        line = f"{reason}; failed after {job.attempts} attempts."
        fields = {
            "state": JobState.FAILED,
            "error": line,
            "message": "Failed",
            "finished_at": now,
            "lease_expires_at": None,
        }
    else:
        line = f"{reason}; retried."
        fields = {"state": JobState.QUEUED, "message": line[:200], "queued_at": now}
    log = Concat(F("attempt_log"), Value(f"Attempt {job.attempts}: {line}\n"))
    return bool(
        type(job)
        .objects.filter(
            pk=job.pk,
            state=JobState.RUNNING,
            attempts=job.attempts,
            lease_expires_at=job.lease_expires_at,
        )
        .update(**fields, attempt_log=log, updated_at=now)
    )


def jobs_sweep_expired(model: type[Job], queue) -> list[str]:
    """Re-queue (with `queue(job)`) or fail every running job of `model` whose lease ran
    out; the names of the jobs handled."""
    now = timezone.now()
    handled = []
    for job in list(model.objects.filter(state=JobState.RUNNING, lease_expires_at__lt=now)):
        if not _expire(job, now):
            continue
        job.refresh_from_db()
        if job.state == JobState.QUEUED:
            queue(job)
        handled.append(f"{model.__name__} {job.pk} ({job.get_state_display().lower()})")
    return handled


def jobs_requeue_queued(
    model: type[Job], queue, *, older_than: timedelta, only: Q | None = None
) -> list[str]:
    """Send again every job of `model` still queued `older_than` after it was last sent
    (its message was lost: the broker was down, or restarted without persistence), among
    those `only` selects (e.g. releases whose time has come). Sending one twice is
    harmless: only one run can start it."""
    now = timezone.now()
    requeued = []
    stale = model.objects.filter(only or Q(), state=JobState.QUEUED, queued_at__lt=now - older_than)
    for job in list(stale):
        model.objects.filter(pk=job.pk).update(queued_at=now)
        if queue(job):
            requeued.append(f"{model.__name__} {job.pk}")
    return requeued
