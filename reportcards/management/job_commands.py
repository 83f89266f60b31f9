"""What `publish_report_card`, `release_cycle` and `export_open_data` share: waiting for a
background job the way a person watches its page. (The publisher named with --user is found with
assessments.commandline.user_or_error, as every command finds its user.)"""

import time

from django.core.management.base import CommandError

from reportcards.models import Job, JobState

FAILED = 1
POLL_SECONDS = 0.5


def add_wait_arguments(parser, *, note: str, timeout: int) -> None:
    """--note (`note` says what it is for) and --timeout (`timeout` seconds by default)."""
    parser.add_argument("--note", default="", help=note)
    add_timeout_argument(parser, timeout=timeout)


def add_timeout_argument(parser, *, timeout: int) -> None:
    """--timeout (`timeout` seconds by default)."""
    parser.add_argument(
        "--timeout",
        type=float,
        default=timeout,
        help=f"Seconds to wait for the worker before giving up waiting (default {timeout}).",
    )


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
