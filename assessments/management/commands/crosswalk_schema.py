from pathlib import Path

from django.core.management.base import BaseCommand

from assessments.commandline import write_json
from assessments.crosswalk_document import json_schema


class Command(BaseCommand):
    help = (
        "Write the JSON Schema of the crosswalk file that new_cycle --crosswalk reads: "
        "`crosswalk_schema -o docs/crosswalk.schema.json`."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, output=None, **options):
        write_json(self, json_schema(), output)
