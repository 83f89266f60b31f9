from pathlib import Path

from django.core.management.base import BaseCommand

from assessments.commandline import problems_error, read_document
from assessments.importing import ImportRejected, assessment_import


class Command(BaseCommand):
    help = (
        "Create or replace one assessment from a JSON (or YAML) file, each goal in the review "
        "state the file gives (approved where it gives none). Replacing keeps every earlier "
        "version and review event. The whole file is checked first; on any problem nothing "
        "changes and every problem is listed. The format: docs/assessment-document.schema.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", help="Username the import is attributed to (default: the file's author)."
        )
        parser.add_argument(
            "--reason", default="", help="Why, recorded with the change (e.g. when replacing)."
        )

    def handle(self, *args, file, user=None, reason="", **options):
        data = read_document(file)
        try:
            assessment = assessment_import(data=data, username=user, reason=reason)
        except ImportRejected as rejected:
            raise problems_error(self, file, rejected.problems, nothing_was="imported") from None
        count = assessment.determinations.count()
        approved = assessment.determinations.filter(review_state="approved").count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {assessment.jurisdiction.code} {assessment.cycle.year}: "
                f"{count} determinations, "
                + ("approved." if approved == count else f"{approved} approved.")
            )
        )
