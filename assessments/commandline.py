"""What the management commands share: finding a cycle by year, reading the files they are
given and writing their output."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.document_files import UnreadableDocument, read_document_file
from assessments.models import Cycle
from assessments.scoring import ordinal, tier_label


def cycle_or_error(year) -> Cycle:
    try:
        return Cycle.objects.select_related("framework").get(year=int(year))
    except (Cycle.DoesNotExist, ValueError):
        known = ", ".join(str(y) for y in Cycle.objects.values_list("year", flat=True)) or "none"
        raise CommandError(f"There is no {year} cycle (known cycles: {known}).") from None


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


def write_scores(command: BaseCommand, scores: dict) -> None:
    """A jurisdiction's issue scores, extra credit and total line (grade, rank, tier), as
    `score_state` and `what_if` print them; `scores` in their JSON shape."""
    for issue in scores["issues"]:
        command.stdout.write(
            f"  Issue {issue['number']}: {issue['score']} / {issue['max']}  {issue['grade']}"
        )
    for code, points in scores["extra_credit"].items():
        command.stdout.write(f"  Extra credit {code}: {points}")
    tie = " (tie)" if scores["tied"] else ""
    command.stdout.write(
        f"  Total {scores['total']}  grade {scores['grade']}  "
        f"ranked {ordinal(scores['rank'])}{tie}  {tier_label(scores['tier'])}"
    )
