"""What `backup` and `restore` share: the backup directory they take, and a backup
problem (a full directory, a backup of another version) shown as a command error."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reportcards.backup import BackupError


class BackupDirectoryCommand(BaseCommand):
    directory_help = ""  # what the directory must be, for --help

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help=self.directory_help)

    def run_step(self, step, directory: Path) -> dict:
        """Run `backup` or `restore` on the directory; returns the backup's manifest."""
        try:
            return step(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
