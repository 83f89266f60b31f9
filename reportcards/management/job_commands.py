"""What `publish_report_card` and `release_cycle` share: the publisher named with --user
and waiting for a background job the way a person watches its page."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from reportcards.models import Job, JobState

FAILED = 1
POLL_SECONDS = 0.5


def user_or_error(username: str):
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"There is no active user “{username}”.") from None


def wait_for_job(job: Job, timeout: float, stdout, *, where: str) -> Job:
    """Print each new progress message until the job is done; a CommandError (exit 1) when
    it failed, was cancelled, or is still running after `timeout` seconds (`where` says
    which page to follow it on)."""
    deadline = time.monotonic() + timeout
    said = ""
    while True:
        job.refresh_from_db()
        if job.message != said:
            said = job.message
            stdout.write(f"[{job.progress:3d}%] {said}")
        if job.state == JobState.DONE:
            return job
        if job.finished:
            raise CommandError(
                f"Job {job.pk} {job.get_state_display().lower()}: {job.error or job.message}",
                returncode=FAILED,
            )
        if time.monotonic() > deadline:
            raise CommandError(
                f"Job {job.pk} is still {job.get_state_display().lower()} after "
                f"{timeout:g} s; follow it on {where}.",
                returncode=FAILED,
            )
        time.sleep(POLL_SECONDS)
