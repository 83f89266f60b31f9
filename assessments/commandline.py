"""What the management commands share: finding a cycle by year, reading the files they are
given and writing their output."""

import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from assessments.models import Cycle


def cycle_or_error(year) -> Cycle:
    try:
        return Cycle.objects.select_related("framework").get(year=int(year))
    except (Cycle.DoesNotExist, ValueError):
        known = ", ".join(str(y) for y in Cycle.objects.values_list("year", flat=True)) or "none"
        raise CommandError(f"There is no {year} cycle (known cycles: {known}).") from None


def read_document(path: Path):
    """The data of a JSON file, or of a YAML file (.yaml, .yml)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text.") from None
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            return yaml.safe_load(text)
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except yaml.YAMLError as error:
        raise CommandError(f"{path} is not valid YAML: {error}") from None


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
