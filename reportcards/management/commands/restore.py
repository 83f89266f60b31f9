from django.core.management.base import CommandError

from reportcards.backup import restore
from reportcards.management.backup_command import BackupDirectoryCommand


class Command(BackupDirectoryCommand):
    help = (
        "Replace the whole database with a backup made by `backup` and put its stored files "
        "back. Everything written since the backup is lost; sessions end."
    )
    directory_help = "a directory written by `backup`"

    def add_arguments(self, parser):
        super().add_arguments(parser)
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
        manifest = self.run_step(restore, directory)
        self.stdout.write(
            f"Restored the database and {len(manifest['files'])} stored file(s) "
            f"from the backup of {manifest['created']}"
        )
