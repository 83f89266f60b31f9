from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from assessments.commandline import date_or_error, problems_error, user_or_error
from assessments.crosswalk_document import CrosswalkFileProblems
from assessments.crosswalks import crosswalk_file
from assessments.cycles import cycle_create_from_previous
from assessments.frameworks import UnknownFramework, framework_named
from assessments.models import GoalDetermination
from assessments.services import WorkflowError


class Command(BaseCommand):
    help = (
        "Open a new cycle with a draft copy of every assessment of the previous one, each "
        "goal as last approved (never a working draft), "
        "e.g. `new_cycle 2024 --from 2023 --user admin`. On a new framework, through a "
        "crosswalk: `new_cycle 2026 --from 2025 --framework 2025:1 --crosswalk FILE "
        "--user admin` (docs/crosswalk-format.md)."
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
            help="Legislative cutoff, YYYY-MM-DD (default: the framework's cutoff rule in YEAR).",
        )
        parser.add_argument(
            "--framework",
            help="The new cycle's framework, YEAR or YEAR:VERSION of a loaded one (load_framework "
            "FILE first), e.g. 2025 or 2023:1; YEAR alone is its latest version. Default: the "
            "previous cycle's framework, or the one --crosswalk names as `to`.",
        )
        parser.add_argument(
            "--crosswalk",
            type=Path,
            help="Crosswalk file (YAML or JSON, docs/crosswalk-format.md) from the previous "
            "cycle's framework to the new one; needed whenever the framework changes.",
        )

    def handle(
        self, *args, year, previous=None, user, cutoff=None, framework=None, crosswalk=None, **_
    ):
        actor = user_or_error(user)
        message = f"--cutoff {cutoff!r} is not a date like 2024-07-01."
        legislative_cutoff = date_or_error(cutoff, message) if cutoff else None
        try:
            result = cycle_create_from_previous(
                year=year,
                user=actor,
                legislative_cutoff=legislative_cutoff,
                previous_year=previous,
                framework=framework_named(framework) if framework else None,
                crosswalk=crosswalk_file(crosswalk) if crosswalk else None,
            )
        except (WorkflowError, PermissionDenied, UnknownFramework) as error:
            raise CommandError(str(error)) from None
        except CrosswalkFileProblems as error:
            raise problems_error(self, crosswalk, error.problems, nothing_was="copied") from None
        cycle = result.cycle
        self.stdout.write(
            self.style.SUCCESS(
                f"Opened the {cycle.year} cycle from {cycle.previous.year} "
                f"(cutoff {cycle.legislative_cutoff:%Y-%m-%d}): copied "
                f"{result.assessments} assessments and {result.determinations} "
                "determinations as drafts."
            )
        )
        if cycle.crosswalk:
            fresh = GoalDetermination.objects.filter(
                assessment__cycle=cycle, needs_fresh_look=True
            ).count()
            self.stdout.write(
                f"Through the crosswalk to {cycle.framework}: {fresh} goals (merged, split or "
                "new) need a fresh look; one-to-one goals were copied with points scaled to "
                "the new maximum."
            )
