import json

from django.core.management.base import BaseCommand, CommandError

from assessments.commandline import cycle_or_error, write_scores
from assessments.scoring import ordinal, tier_label
from assessments.whatif import ScenarioError, setting_parse, what_if, what_if_data


class Command(BaseCommand):
    help = (
        "Print one jurisdiction's scores, rank and tier if some goals were scored differently "
        "(nothing is saved), and which other jurisdictions would change tier."
    )

    def add_arguments(self, parser):
        parser.add_argument("jurisdiction", help="Two-letter code, e.g. MS")
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            dest="settings",
            metavar="GOAL=STATUS[:POINTS]",
            help="A hypothetical goal, e.g. 2.9=fully_met or 4.2=partially_met:1.25 (repeatable).",
        )
        parser.add_argument(
            "--enact",
            action="append",
            default=[],
            metavar="RECOMMENDATION",
            help="A recommendation enacted, e.g. 2.9.1: its goal becomes fully met.",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, jurisdiction, cycle, settings, enact, **options):
        cycle = cycle_or_error(cycle)
        try:
            parsed = [setting_parse(text) for text in settings]
            goals = [goal for goal, _ in parsed]
            repeated = sorted({goal for goal in goals if goals.count(goal) > 1})
            if repeated:
                raise ScenarioError(f"Goal {', '.join(repeated)} is set more than once.")
            result = what_if(cycle, jurisdiction, dict(parsed), enact=enact)
        except ScenarioError as error:
            raise CommandError(str(error)) from None
        data = what_if_data(result)
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        self._write_text(data)

    def _write_text(self, data):
        self.stdout.write(f"{data['jurisdiction']} {data['cycle']} — what if (nothing saved)")
        write_scores(self, data)
        current = data["current"]
        self.stdout.write(
            f"  Now: total {current['total']}  grade {current['grade']}  "
            f"ranked {ordinal(current['rank'])}  {tier_label(current['tier'])}"
        )
        if not data["tier_changes"]:
            self.stdout.write("  No other jurisdiction changes tier.")
        for change in data["tier_changes"]:
            self.stdout.write(
                f"  {change['jurisdiction']}: {tier_label(change['from'])} → "
                f"{tier_label(change['to'])}"
            )
