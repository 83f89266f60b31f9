from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.framework_document import FrameworkFileProblems
from assessments.frameworks import framework_file, framework_load


class Command(BaseCommand):
    help = (
        "Load a framework file (YAML or JSON, docs/framework-format.md) as a new framework "
        "version. Checks the whole file first and, on any problem, lists every problem and "
        "changes nothing; loading content already loaded changes nothing either."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The framework file.")

    def handle(self, *args, file: Path, **options):
        try:
            result = framework_load(framework_file(file))
        except FrameworkFileProblems as error:
            for problem in error.problems:
                self.stderr.write(f"- {problem}")
            count = len(error.problems)
            raise CommandError(
                f"{file}: {count} problem{'s' if count != 1 else ''}; nothing was changed."
            ) from None
        framework = result.framework
        if not result.created:
            self.stdout.write(
                f"{file} holds the same content as {framework} (loaded before); "
                "nothing was changed."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {file} as {framework}: {framework.issue_areas.count()} issue areas, "
                f"{framework.goals.count()} policy goals, "
                f"{framework.extra_credit_categories.count()} extra-credit categories."
            )
        )
