from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reportcards.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database and every stored file (published PDFs, export ZIPs) "
        "into a new directory; `restore` puts them back (docs/production.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the database and {len(manifest['files'])} stored file(s) to {directory}"
        )
