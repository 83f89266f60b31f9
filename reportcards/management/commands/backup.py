from reportcards.backup import backup
from reportcards.management.backup_command import BackupDirectoryCommand


class Command(BackupDirectoryCommand):
    help = (
        "Back up the whole database and every stored file (published PDFs, export ZIPs) "
        "into a new directory; `restore` puts them back (docs/production.md)."
    )
    directory_help = "a new or empty directory"

    def handle(self, *args, directory, **options):
        manifest = self.run_step(backup, directory)
        self.stdout.write(
            f"Backed up the database and {len(manifest['files'])} stored file(s) to {directory}"
        )
