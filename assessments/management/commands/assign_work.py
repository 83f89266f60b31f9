from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from assessments.assignments import AssignmentProblems, assignments_replace, read_assignment_file
from assessments.commandline import cycle_or_error, problems_error, user_or_error
from core.limits import FILE_MAX_BYTES


class Command(BaseCommand):
    help = (
        "Assign a cycle's jurisdictions (or single goals) from a CSV file with the columns "
        "jurisdiction, analyst, reviewer, due (YYYY-MM-DD) and an optional goal; users by "
        "username. Each row replaces that jurisdiction's (or goal's) assignment. The whole "
        "file is checked first; on any problem every problem is listed with its row and "
        "nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", help="The cycle, e.g. 2023.")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", help="Username the assignments are recorded under (a publisher or admin)."
        )

    def handle(self, *args, year, file, user=None, **options):
        cycle = cycle_or_error(year)
        try:
            with file.open("rb") as opened:
                data = opened.read(FILE_MAX_BYTES + 1)  # enough to tell it is too big
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            rows = read_assignment_file(data)
            actor = None if user is None else user_or_error(user)
            count = assignments_replace(cycle_id=cycle.pk, rows=rows, user=actor)
        except AssignmentProblems as rejected:
            raise problems_error(self, file, rejected.problems, nothing_was="assigned") from None
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(self.style.SUCCESS(f"Assigned {count} row(s) of the {cycle.year} cycle."))
