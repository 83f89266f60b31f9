"""Release a cycle from a script: the release page's gate, request and job, waiting for the
worker to finish; or, with --at, schedule the release (an embargo) and return.

Exit codes: 0 released (or scheduled); 1 refused (every blocker listed per jurisdiction),
or the job failed.
"""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from assessments.commandline import cycle_or_error, user_or_error
from assessments.recompute import scores_make_current
from reportcards.management.job_commands import FAILED, add_wait_arguments, wait_for_job
from reportcards.releases import ReleaseRefused, blocker_lines, cycle_gate, cycle_release_request

REFUSED = 1


def release_time(text: str):
    """--at: an ISO date and time ("2026-12-10T09:00", "2026-12-10 09:00+00:00"); without
    an offset it is the site's time zone (settings.TIME_ZONE)."""
    text = text.strip()
    date_only = _parses(parse_date, text) is not None  # a day is not a time to release at
    at = None if date_only else _parses(parse_datetime, text)
    if at is None:
        hint = " (add a time, e.g. 09:00)" if date_only else ""
        raise CommandError(
            f"--at “{text}” is not a date and time{hint}; write e.g. 2026-12-10T09:00 "
            "or 2026-12-10T09:00+00:00."
        )
    return timezone.make_aware(at) if timezone.is_naive(at) else at


def _parses(parse, text: str):
    """What Django's parser makes of the text; None when it is not one (or out of range)."""
    try:
        return parse(text)
    except ValueError:
        return None


class Command(BaseCommand):
    help = (
        "Release every report card of a cycle in one job through the publish gate, e.g. "
        "`release_cycle 2023 --user publisher`, or schedule it with --at DATETIME "
        "(embargo). Exit 0 released or scheduled, 1 refused (each blocker listed per "
        "jurisdiction) or failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")
        parser.add_argument("--user", required=True, help="The publisher (username).")
        parser.add_argument(
            "--at",
            default=None,
            help="Release at this date and time instead of now, e.g. 2026-12-10T09:00 "
            "(the site's time zone unless an offset is given).",
        )
        add_wait_arguments(parser, note="Re-release reason.", timeout=3600)

    def handle(self, *args, cycle, user, at, note, timeout, **options):
        publisher = user_or_error(user, active_only=True)
        cycle = cycle_or_error(cycle)
        at = release_time(at) if at is not None else None
        # A script runs right after the approvals it releases: compute their scores here
        # rather than refuse them as stale while the worker catches up.
        scores_make_current(cycle=cycle)
        acknowledged = self._check_gate(cycle)
        try:
            job = cycle_release_request(
                cycle_id=cycle.pk, user=publisher, at=at, acknowledged=acknowledged, note=note
            )
        except ReleaseRefused as error:
            for line in blocker_lines(error.blockers):
                self.stderr.write(f"Blocker: {line}")
            raise CommandError(str(error), returncode=REFUSED) from None
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=REFUSED) from None
        if job.scheduled_for is not None:
            when = timezone.localtime(job.scheduled_for).strftime("%Y-%m-%d %H:%M %Z")
            self.stdout.write(
                self.style.SUCCESS(f"Scheduled the {cycle.year} release for {when} (job {job.pk}).")
            )
            return
        job = wait_for_job(job, timeout, self.stdout, where=f"the {cycle.year} release page")
        self.stdout.write(
            self.style.SUCCESS(f"{job.message} of the {cycle.year} cycle (job {job.pk}).")
        )

    def _check_gate(self, cycle) -> list[str]:
        """The keys of every jurisdiction's warnings, each printed: running the command is
        the publisher's acknowledgement. Raises with every blocker listed per jurisdiction."""
        gate = cycle_gate(cycle)
        lines = blocker_lines(gate.blockers)
        for line in lines:
            self.stderr.write(f"Blocker: {line}")
        if lines:
            raise CommandError(
                f"Refused by the publish gate: {len(lines)} blocker"
                f"{'s' if len(lines) != 1 else ''} in {len(gate.blockers)} "
                f"jurisdiction{'s' if len(gate.blockers) != 1 else ''}.",
                returncode=FAILED,
            )
        for warning in gate.warnings:
            self.stdout.write(f"Acknowledged warning: {warning.message}")
        return [warning.key for warning in gate.warnings]
