"""What the management commands share: finding a cycle by year and a user by name, reading
the dates and files they are given, listing the problems of a refused file and writing
their output (a JSON Schema command is only its schema)."""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.document_files import UnreadableDocument, read_document_file
from assessments.models import Cycle
from assessments.scoring import rank_label, tier_label


def cycle_or_error(year) -> Cycle:
    try:
        return Cycle.objects.select_related("framework").get(year=int(year))
    except (Cycle.DoesNotExist, ValueError):
        known = ", ".join(str(y) for y in Cycle.objects.values_list("year", flat=True)) or "none"
        raise CommandError(f"There is no {year} cycle (known cycles: {known}).") from None


def user_or_error(username: str, *, active_only: bool = False):
    """The user named `username` (only an active one with `active_only`)."""
    users = get_user_model().objects.filter(username=username)
    if active_only:
        users = users.filter(is_active=True)
    user = users.first()
    if user is None:
        raise CommandError(f"There is no {'active ' if active_only else ''}user “{username}”.")
    return user


def date_or_error(text: str, message: str) -> datetime.date:
    """The date written YYYY-MM-DD in `text`; `message` says what is wrong otherwise."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(message) from None


def problems_error(command: BaseCommand, file: Path, problems, *, nothing_was: str):
    """Every problem on standard error, one a line, and the error that ends the command:
    raise what it returns."""
    for problem in problems:
        command.stderr.write(f"error: {problem}")
    return CommandError(f"{file}: {len(problems)} problem(s); nothing was {nothing_was}.")


def read_document(path: Path):
    """The data of a JSON or YAML file, within the limits of core.limits."""
    try:
        return read_document_file(path)
    except UnreadableDocument as error:
        raise CommandError(str(error)) from None


def write_output(command: BaseCommand, text: str, output: Path | None) -> None:
    """`text` into the file given with -o, or onto standard output without one."""
    if output is None:
        command.stdout.write(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
    command.stdout.write(f"Wrote {output}")


def write_json(command: BaseCommand, data, output: Path | None) -> None:
    write_output(command, json.dumps(data, indent=2, ensure_ascii=False), output)


class SchemaCommand(BaseCommand):
    """A command that writes one JSON Schema, `schema()`, to -o FILE or standard output."""

    @staticmethod
    def schema() -> dict:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, output=None, **options):
        write_json(self, self.schema(), output)


def write_scores(command: BaseCommand, scores: dict) -> None:
    """A jurisdiction's issue scores, extra credit and total line (grade, rank, tier), as
    `score_state` and `what_if` print them; `scores` in their JSON shape."""
    for issue in scores["issues"]:
        command.stdout.write(
            f"  Issue {issue['number']}: {issue['score']} / {issue['max']}  {issue['grade']}"
        )
    for code, points in scores["extra_credit"].items():
        command.stdout.write(f"  Extra credit {code}: {points}")
    command.stdout.write(
        f"  Total {scores['total']}  grade {scores['grade']}  "
        f"ranked {rank_label(scores['rank'], scores['tied'])}  {tier_label(scores['tier'])}"
    )
