from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from assessments.commandline import date_or_error, user_or_error
from assessments.cycles import cycle_create_from_previous
from assessments.services import WorkflowError


class Command(BaseCommand):
    help = (
        "Open a new cycle with a draft copy of every assessment of the previous one, each "
        "goal as last approved (never a working draft), "
        "e.g. `new_cycle 2024 --from 2023 --user admin`."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="The new cycle's year, e.g. 2024")
        parser.add_argument(
            "--from",
            dest="previous",
            type=int,
            help="The cycle to copy (default: the latest one before YEAR).",
        )
        parser.add_argument("--user", required=True, help="The admin the copies are attributed to.")
        parser.add_argument(
            "--cutoff",
            help="Legislative cutoff, YYYY-MM-DD (default: a year after the previous one).",
        )

    def handle(self, *args, year, previous=None, user, cutoff=None, **options):
        actor = user_or_error(user)
        message = f"--cutoff {cutoff!r} is not a date like 2024-07-01."
        legislative_cutoff = date_or_error(cutoff, message) if cutoff else None
        try:
            result = cycle_create_from_previous(
                year=year,
                user=actor,
                legislative_cutoff=legislative_cutoff,
                previous_year=previous,
            )
        except (WorkflowError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        cycle = result.cycle
        self.stdout.write(
            self.style.SUCCESS(
                f"Opened the {cycle.year} cycle from {cycle.previous.year} "
                f"(cutoff {cycle.legislative_cutoff:%Y-%m-%d}): copied "
                f"{result.assessments} assessments and {result.determinations} "
                "determinations as drafts."
            )
        )
