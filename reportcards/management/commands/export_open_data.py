"""Write a cycle's open data (and the rest of its publication) into a directory: the
export page's request and job, waiting for the worker, then the export's public/ folder
copied out of its ZIP.

Exit codes: 0 written; 1 the directory cannot be used, or the export was refused or
failed; 2 nothing is released yet (embargo).
"""

import os
import zipfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import Role, users_with_role
from assessments.commandline import cycle_or_error, user_or_error
from reportcards.management.job_commands import FAILED, add_timeout_argument, wait_for_job
from reportcards.publishing import PUBLIC, ExportRefused, cycle_export_request
from reportcards.selectors import cycle_release

NOTHING_RELEASED = 2


class Command(BaseCommand):
    help = (
        "Write the open data of a released cycle (a Frictionless Data Package: "
        "datapackage.json and data/) into an empty directory, e.g. "
        "`export_open_data 2023 -o DIR`, through the cycle export job. Exit 0 written, "
        "1 directory unusable or export failed, 2 nothing released yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="Cycle year, e.g. 2023")
        parser.add_argument(
            "-o", "--output", required=True, help="Directory to write (new, or empty)."
        )
        parser.add_argument(
            "--user",
            default=None,
            help="Who the export job is recorded for (a publisher; default: the first "
            "active admin, by username).",
        )
        add_timeout_argument(parser, timeout=1800)

    def handle(self, *args, cycle, output, user, timeout, **options):
        cycle = cycle_or_error(cycle)
        if cycle_release(cycle.pk) is None:
            raise CommandError(
                f"The {cycle.year} cycle has not been released yet: nothing is public before "
                "its release (a scheduled release is an embargo), so there is no open data.",
                returncode=NOTHING_RELEASED,
            )
        directory = usable_directory(Path(output))
        requester = user_or_error(user, active_only=True) if user else _first_admin()
        try:
            job = cycle_export_request(cycle_id=cycle.pk, user=requester)
        except (ExportRefused, PermissionDenied) as error:
            raise CommandError(str(error), returncode=FAILED) from None
        job = wait_for_job(job, timeout, self.stdout, where=f"the {cycle.year} exports page")
        count = _extract_public(job, directory)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {count} files to {directory} (export job {job.pk}).")
        )


def usable_directory(path: Path) -> Path:
    """`path` if the command may write there: an empty directory, or a new one whose
    parent is writable. Checked before the job runs, so nothing is built in vain."""
    path = path.expanduser().resolve()
    if path.exists():
        if not path.is_dir():
            raise CommandError(f"{path} is not a directory.", returncode=FAILED)
        if any(path.iterdir()):
            raise CommandError(
                f"{path} is not empty; give a new or empty directory (nothing is overwritten).",
                returncode=FAILED,
            )
        writable = path
    else:
        writable = next(parent for parent in path.parents if parent.exists())
        if not writable.is_dir():
            raise CommandError(f"{writable} is not a directory.", returncode=FAILED)
    if not os.access(writable, os.W_OK | os.X_OK):
        raise CommandError(f"{writable} is not writable.", returncode=FAILED)
    return path


def _first_admin():
    """Who a script's export is recorded for when it names nobody: an admin (by username),
    since the open data is the release's, not one publisher's."""
    admin = users_with_role(Role.ADMIN).first()
    if admin is None:
        raise CommandError("There is no active admin account; give --user NAME (a publisher).")
    return admin


def _extract_public(job, directory: Path) -> int:
    """The export's public/ folder into `directory`; how many files it held."""
    prefix = f"{PUBLIC}/"
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        members = [name for name in archive.namelist() if name.startswith(prefix)]
        if not members:
            raise CommandError(
                f"Export job {job.pk} holds no open data: the cycle was not released when it "
                "was built.",
                returncode=NOTHING_RELEASED,
            )
        for name in members:
            target = directory / name.removeprefix(prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))
    return len(members)
