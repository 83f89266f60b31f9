from django.core.management.base import BaseCommand

from assessments.commandline import cycle_or_error
from assessments.recompute import cycle_recompute


class Command(BaseCommand):
    help = "Recompute a cycle's scores, ranks and tiers now, in this process."

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")

    def handle(self, *args, cycle, **options):
        cycle = cycle_or_error(cycle)
        snapshots = cycle_recompute(cycle_id=cycle.id)
        self.stdout.write(f"Recomputed {len(snapshots)} jurisdictions for {cycle.year}.")
