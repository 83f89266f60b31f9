"""Backup and restore: the whole database and every stored file, in one directory.

The database goes through Django's own serialisation (dumpdata / loaddata, in JSON with
times to the microsecond: reportcards/exact_json.py), which keeps every primary key, so
history tables, review events and their authors come back exactly as they were, on SQLite
and PostgreSQL alike. Content types and permissions are not copied:
`flush` recreates them for this installation and the dump names them by natural key.
Stored files (published PDFs, export ZIPs) are read and written through Django's storage
API, so a backup works the same against a local directory or an S3-compatible store.

A backup directory holds `database.exactjson`, `files/` and `manifest.json` (the sha256 of each
part). A restore checks every hash before it changes anything, and replaces the database
in one transaction: a failed restore leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

FORMAT = "exactjson"
DATABASE = f"database.{FORMAT}"
FILES = "files"
MANIFEST = "manifest.json"
# Recreated per installation (contenttypes, permissions) or not worth keeping (sessions).
NOT_COPIED = ["contenttypes", "auth.permission", "sessions"]


serializers.register_serializer(FORMAT, "reportcards.exact_json")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; nothing was changed."""


def _sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def stored_names(storage=default_storage, directory: str = "") -> Iterator[str]:
    """Every file in the storage, through its public listdir()."""
    directories, files = storage.listdir(directory)
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from stored_names(storage, f"{directory}/{sub}" if directory else sub)


def backup(target: Path) -> dict:
    """Write the database and the stored files to `target` (new or empty)."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new directory.")
    (target / FILES).mkdir(parents=True, exist_ok=True)
    call_command(
        "dumpdata",
        "--natural-foreign",
        *[f"--exclude={label}" for label in NOT_COPIED],
        f"--format={FORMAT}",
        "--indent=1",
        f"--output={target / DATABASE}",
        verbosity=0,
    )
    files = {}
    for name in stored_names():
        copy = target / FILES / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, copy.open("wb") as out:
            for chunk in iter(lambda source=source: source.read(1 << 20), b""):
                out.write(chunk)
        with copy.open("rb") as written:
            files[name] = _sha256_of(written)
    with (target / DATABASE).open("rb") as dump:
        database = _sha256_of(dump)
    manifest = {
        "created": datetime.now(UTC).isoformat(),
        "database_sha256": database,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


def _checked_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} has no readable {MANIFEST}: {error}") from error
    parts = {DATABASE: manifest["database_sha256"]}
    parts.update({f"{FILES}/{name}": sha for name, sha in manifest["files"].items()})
    for part, expected in parts.items():
        path = source / part
        if not path.is_file():
            raise BackupError(f"{path} is missing from the backup.")
        with path.open("rb") as handle:
            if _sha256_of(handle) != expected:
                raise BackupError(f"{path} does not match its hash in {MANIFEST}.")
    return manifest


def _put_file(name: str, path: Path) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    with path.open("rb") as handle:
        saved = default_storage.save(name, File(io.BytesIO(handle.read()), name=name))
    if saved != name:
        raise BackupError(f"The storage saved {name} as {saved}.")


def restore(source: Path) -> dict:
    """Replace the database with the backup's and put its files back into the storage."""
    manifest = _checked_manifest(source)
    with transaction.atomic():
        call_command("flush", "--noinput", verbosity=0)
        ContentType.objects.clear_cache()  # flush made new rows; the cache has the old ids
        call_command("loaddata", str(source / DATABASE), verbosity=0)
    for name in manifest["files"]:
        _put_file(name, source / FILES / name)
    return manifest
