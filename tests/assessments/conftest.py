"""Fixtures the assessment tests share."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import reviewed_goal


@pytest.fixture
def goal(world):
    """Mississippi's goal 1.2 as reviewers leave it (tests/factories.py reviewed_goal):
    approved, with one citation and no footnotes or tables."""
    return reviewed_goal(world)


@pytest.fixture
def round_trip(tmp_path):
    """Run the commands as a user would: export MS 2023 to a file, import that file as
    admin, export again; both files' bytes (a round trip keeps them equal)."""

    def run() -> tuple[bytes, bytes]:
        before, after = tmp_path / "before.json", tmp_path / "after.json"
        call_command("export_assessment", "MS", "2023", "-o", str(before), stdout=StringIO())
        call_command("import_assessment", str(before), "--user", "admin", stdout=StringIO())
        call_command("export_assessment", "MS", "2023", "-o", str(after), stdout=StringIO())
        return before.read_bytes(), after.read_bytes()

    return run
