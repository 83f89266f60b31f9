from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.commandline import read_document
from assessments.importing import ImportRejected, assessment_import


class Command(BaseCommand):
    help = (
        "Create or replace one assessment from a JSON (or YAML) file, as approved. The whole "
        "file is checked first; on any problem nothing changes and every problem is listed. "
        "The format: docs/assessment-document.schema.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", help="Username the import is attributed to (default: the file's author)."
        )

    def handle(self, *args, file, user=None, **options):
        data = read_document(file)
        try:
            assessment = assessment_import(data=data, username=user)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(f"error: {problem}")
            raise CommandError(
                f"{file}: {len(rejected.problems)} problem(s); nothing was imported."
            ) from None
        count = assessment.determinations.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {assessment.jurisdiction.code} {assessment.cycle.year}: "
                f"{count} determinations, approved."
            )
        )
