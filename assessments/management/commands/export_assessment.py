from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.commandline import cycle_or_error, write_json
from assessments.importing import assessment_export
from assessments.models import Assessment


class Command(BaseCommand):
    help = "Write one assessment in the import format; importing it back changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("jurisdiction", help="Two-letter code, e.g. MS")
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, jurisdiction, cycle, output=None, **options):
        cycle = cycle_or_error(cycle)
        assessment = Assessment.objects.filter(
            cycle=cycle, jurisdiction__code=jurisdiction.upper()
        ).first()
        if assessment is None:
            raise CommandError(f"No {cycle.year} assessment for jurisdiction “{jurisdiction}”.")
        write_json(self, assessment_export(assessment=assessment), output)
