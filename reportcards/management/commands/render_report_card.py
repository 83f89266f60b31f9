import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.commandline import cycle_or_error
from assessments.models import Assessment
from assessments.recompute import scores_make_current
from reportcards.pdf import page_count, render_report_card
from statutes.models import Jurisdiction


class Command(BaseCommand):
    help = "Write one jurisdiction's report card PDF for a cycle."

    def add_arguments(self, parser):
        parser.add_argument("jurisdiction", help="Two-letter code, e.g. MS")
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")
        parser.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write.")
        drafts = parser.add_mutually_exclusive_group()
        drafts.add_argument(
            "--draft",
            action="store_true",
            default=None,
            help="Mark every page DRAFT (default: when a goal is not approved).",
        )
        drafts.add_argument(
            "--final", dest="draft", action="store_false", help="Never mark the pages DRAFT."
        )

    def handle(self, *args, jurisdiction, cycle, output, draft=None, **options):
        code = jurisdiction.upper()
        if not Jurisdiction.objects.filter(code=code).exists():
            raise CommandError(f"There is no jurisdiction with the code “{jurisdiction}”.")
        cycle = cycle_or_error(cycle)
        assessment = Assessment.objects.filter(cycle=cycle, jurisdiction__code=code).first()
        if assessment is None:
            raise CommandError(f"No {cycle.year} assessment for jurisdiction “{jurisdiction}”.")
        # Check the destination before spending time on the render.
        if output.is_dir():
            raise CommandError(f"Cannot write {output}: it is a directory.")
        if not output.parent.is_dir():
            raise CommandError(f"Cannot write {output}: there is no directory {output.parent}.")
        scores_make_current(cycle=cycle)  # a printed card never shows stale numbers
        pdf = render_report_card(assessment, draft=draft)
        try:
            output.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        pages = page_count(pdf)
        self.stdout.write(
            f"Wrote {output}: {pages} pages, {len(pdf)} bytes, "
            f"sha256 {hashlib.sha256(pdf).hexdigest()}"
        )
