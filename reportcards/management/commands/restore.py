from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reportcards.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `backup` and put its stored files "
        "back. Everything written since the backup is lost; sessions end."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a directory written by `backup`")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, directory, interactive, **options):
        if interactive:
            answer = input(
                f"This replaces every record in the database with the backup in {directory}.\n"
                "Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        try:
            manifest = restore(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the database and {len(manifest['files'])} stored file(s) "
            f"from the backup of {manifest['created']}"
        )
