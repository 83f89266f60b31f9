import json

from django.core.management.base import BaseCommand, CommandError

from assessments.commandline import cycle_or_error, write_scores
from assessments.reporting import current_snapshots, snapshot_summary


class Command(BaseCommand):
    help = "Print one jurisdiction's issue scores, extra credit, total, grade, rank and tier."

    def add_arguments(self, parser):
        parser.add_argument("jurisdiction", help="Two-letter code, e.g. MS")
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, jurisdiction, cycle, **options):
        cycle = cycle_or_error(cycle)
        code = jurisdiction.upper()
        found = [s for s in current_snapshots(cycle) if s.jurisdiction.code == code]
        if not found:
            raise CommandError(f"No {cycle.year} assessment for jurisdiction “{jurisdiction}”.")
        summary = snapshot_summary(found[0])
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(f"{found[0].jurisdiction.name} {cycle.year}")
        write_scores(self, summary)
