import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from assessments.importing import ImportRejected, assessment_import


def read_document(path: Path):
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


class Command(BaseCommand):
    help = (
        "Create or replace one assessment from a JSON (or YAML) file, as approved. The whole "
        "file is checked first; on any problem nothing changes and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", help="Username the import is attributed to (default: the file's author)."
        )

    def handle(self, *args, file, user=None, **options):
        data = read_document(file)
        try:
            assessment = assessment_import(data=data, username=user)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(f"error: {problem}")
            raise CommandError(
                f"{file}: {len(rejected.problems)} problem(s); nothing was imported."
            ) from None
        count = assessment.determinations.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {assessment.jurisdiction.code} {assessment.cycle.year}: "
                f"{count} determinations, approved."
            )
        )
