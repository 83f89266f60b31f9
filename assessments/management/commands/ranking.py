import json

from django.core.management.base import BaseCommand

from assessments.commandline import cycle_or_error
from assessments.reporting import current_snapshots, ranking_row
from assessments.scoring import tier_label


class Command(BaseCommand):
    help = "Print every jurisdiction of a cycle with total, grade, rank (ties) and tier."

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")
        parser.add_argument("--json", action="store_true", help="Print a JSON list.")

    def handle(self, *args, cycle, **options):
        rows = [ranking_row(s) for s in current_snapshots(cycle_or_error(cycle))]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for row in rows:
            tie = "T" if row["tied"] else " "
            self.stdout.write(
                f"{row['rank']:>3}{tie} {row['jurisdiction']}  {row['total']:>6}  "
                f"{row['grade']}  {tier_label(row['tier'])}"
            )
