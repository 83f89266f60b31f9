from pathlib import Path

from django.core.management.base import BaseCommand

from assessments.commandline import write_json
from assessments.framework_document import json_schema


class Command(BaseCommand):
    help = (
        "Write the JSON Schema of the framework file that load_framework reads: "
        "`framework_schema -o docs/framework.schema.json`."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, output=None, **options):
        write_json(self, json_schema(), output)
