import csv
import sys

from django.core.management.base import BaseCommand

from reportcards.audit import audit_rows


class Command(BaseCommand):
    help = (
        "Write the audit log as CSV: every change recorded in the history tables and every "
        "review event (when, who, action, what, changed fields, why), oldest first."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, output=None, **options):
        if output:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                count = self._write(handle)
            self.stderr.write(f"Wrote {count} change(s) to {output}")
        else:
            self._write(sys.stdout)

    @staticmethod
    def _write(handle) -> int:
        writer = csv.writer(handle)
        count = -1  # the header is not a change
        for row in audit_rows():
            writer.writerow(row)
            count += 1
        return count
