"""Publish one report card from a script: the same gate, request and job as the publish
page, waiting for the worker to finish.

Exit codes: 0 published; 1 refused (every blocker listed) or the job failed; 2 nothing
changed since the last published version.
"""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from assessments.commandline import cycle_or_error, user_or_error
from assessments.models import Assessment
from assessments.recompute import scores_make_current
from assessments.selectors import assessment_for
from reportcards.gate import publish_gate
from reportcards.management.job_commands import add_wait_arguments, wait_for_job
from reportcards.publishing import PublishRefused, report_card_publish_request

REFUSED = 1
NOTHING_CHANGED = 2


class Command(BaseCommand):
    help = (
        "Publish the next version of a jurisdiction's report card through the publish gate "
        "and wait for the job, e.g. `publish_report_card MS 2023 --user publisher`. "
        "Exit 0 published, 1 refused by the gate (each blocker listed) or failed, "
        "2 nothing changed since the last version."
    )

    def add_arguments(self, parser):
        parser.add_argument("jurisdiction", help="Two-letter code, e.g. MS")
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")
        parser.add_argument("--user", required=True, help="The publisher (username).")
        add_wait_arguments(
            parser, note="Correction reason (required from version 2 on).", timeout=900
        )

    def handle(self, *args, jurisdiction, cycle, user, note, timeout, **options):
        publisher = user_or_error(user, active_only=True)
        assessment = _assessment_or_error(jurisdiction, cycle)
        # A script runs right after the approvals it publishes: compute the scores they
        # change here rather than refuse them as stale while the worker catches up.
        scores_make_current(cycle=assessment.cycle)
        acknowledged = self._check_gate(assessment)
        try:
            job = report_card_publish_request(
                assessment_id=assessment.pk, user=publisher, note=note, acknowledged=acknowledged
            )
        except (PublishRefused, PermissionDenied) as error:
            raise CommandError(str(error), returncode=REFUSED) from None
        job = wait_for_job(job, timeout, self.stdout, where="the report card page")
        card = job.result
        self.stdout.write(
            self.style.SUCCESS(
                f"Published {assessment.jurisdiction.name} {assessment.cycle.year} version "
                f"{card.version}: {card.page_count} pages, {card.size} bytes, sha256 {card.sha256}"
            )
        )

    def _check_gate(self, assessment) -> list[str]:
        """The keys of the gate's warnings, each printed: running the command is the
        publisher's acknowledgement. Raises with every blocker listed."""
        result = publish_gate(assessment)
        for blocker in result.blockers:
            self.stderr.write(f"Blocker: {blocker.message}")
        if result.nothing_changed:
            raise CommandError("Nothing to publish.", returncode=NOTHING_CHANGED)
        if result.blockers:
            count = len(result.blockers)
            raise CommandError(
                f"Refused by the publish gate: {count} blocker{'s' if count != 1 else ''}.",
                returncode=REFUSED,
            )
        for warning in result.warnings:
            self.stdout.write(f"Acknowledged warning: {warning.message}")
        return [warning.key for warning in result.warnings]


def _assessment_or_error(code: str, year) -> Assessment:
    cycle = cycle_or_error(year)
    try:
        return assessment_for(code, cycle.year)
    except Assessment.DoesNotExist:
        raise CommandError(f"No {cycle.year} assessment for jurisdiction “{code}”.") from None
