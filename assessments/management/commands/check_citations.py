"""`manage.py check_citations 2023 [--json]`: the cycle's citations against its cutoff.

Exit codes: 0 no blocker (warnings may be listed), 1 at least one citation to law enacted
after the cutoff, 2 no such cycle (or bad arguments).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.citation_checks import citation_check, credit_text, long_date
from assessments.commandline import cycle_or_error

EXIT_BLOCKERS = 1
EXIT_USAGE = 2


class Command(BaseCommand):
    help = (
        "List every citation of a cycle to law enacted after its legislative cutoff (blockers), "
        "without an enacted date, or quoting text not in force at the cutoff (warnings), and "
        "every goal whose credit depends on them. Exit status: 0 no blocker, 1 blockers, "
        "2 no such cycle."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, cycle, **options):
        try:
            found = cycle_or_error(cycle)
        except CommandError as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None
        report = citation_check(found)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        else:
            self._write_text(report)
        if report.blockers:
            raise CommandError(
                f"{len(report.blockers)} citation(s) to law enacted after the cutoff.",
                returncode=EXIT_BLOCKERS,
            )

    def _write_text(self, report) -> None:
        self.stdout.write(
            f"{report.year} cycle, cutoff {long_date(report.cutoff)}: "
            f"{report.citations_checked} citations checked, {len(report.blockers)} blocker(s), "
            f"{len(report.warnings)} warning(s)."
        )
        for finding in report.findings:
            severity = "BLOCKER" if finding.blocker else "warning"
            self.stdout.write(
                f"{severity:<8} {finding.jurisdiction} goal {finding.goal:<5} "
                f"{finding.citation}{finding.pinpoint} ({finding.counted}): {finding.message}"
            )
        if report.goals_at_risk:
            self.stdout.write("Goals whose credit depends on them:")
        for goal in report.goals_at_risk:
            self.stdout.write(
                f"  {goal.jurisdiction} goal {goal.goal}: {credit_text(goal.points)} "
                f"({', '.join(goal.kinds)}: {'; '.join(goal.citations)})"
            )
