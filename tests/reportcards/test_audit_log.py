"""The audit-log export: every change (who, when, what, why), for admins, as CSV."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.services import determination_request_changes, determination_submit
from reportcards import audit

pytestmark = pytest.mark.django_db

AUDIT_LOG = reverse("audit_log")


@pytest.fixture
def reviewed(world):
    """An analyst submits MS goal 1.1; the reviewer asks for changes with a comment."""
    goal = world.determination("MS", "1.1")
    submitted = determination_submit(
        determination_id=goal.pk, user=world.users["analyst"], expected_version=goal.version
    )
    determination_request_changes(
        determination_id=goal.pk,
        user=world.users["reviewer"],
        expected_version=submitted.version,
        comment="Cite the 2022 amendment.",
    )
    return goal


def downloaded(client) -> list[dict]:
    response = client.get(AUDIT_LOG)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


def test_it_lists_who_changed_what_when_and_why(client, world, reviewed):
    client.force_login(world.users["admin"])
    rows = downloaded(client)
    what = f"goal determination #{reviewed.pk}"

    submitted = [r for r in rows if r["what"] == what and r["why"] == "Submitted for review"]
    assert [(r["who"], r["action"]) for r in submitted] == [("analyst", "changed")]
    assert "review_state" in submitted[0]["changed fields"].split(", ")

    review = [r for r in rows if r["action"] == "review: requested changes"]
    assert [(r["who"], r["why"]) for r in review] == [("reviewer", "Cite the 2022 amendment.")]
    assert review[0]["what"].startswith(f"{what} (MS 2023 goal 1.1, version")
    assert [r["when"] for r in rows] == sorted(r["when"] for r in rows)


def test_it_reads_in_pages_without_losing_or_repeating_a_row(client, world, reviewed, monkeypatch):
    client.force_login(world.users["admin"])
    whole = downloaded(client)
    monkeypatch.setattr(audit, "PAGE_SIZE", 2)
    assert downloaded(client) == whole
    assert len(whole) >= 10  # five pages of two or more


def test_it_writes_the_same_log_from_the_command(client, world, reviewed, tmp_path):
    client.force_login(world.users["admin"])
    call_command("audit_log", "-o", str(tmp_path / "audit.csv"), stderr=io.StringIO())
    with (tmp_path / "audit.csv").open(newline="") as handle:
        assert list(csv.DictReader(handle)) == downloaded(client)


def test_it_offers_the_log_to_admins_only(client, world):
    client.force_login(world.users["publisher"])
    assert client.get(AUDIT_LOG).status_code == 403
