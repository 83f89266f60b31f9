"""Backup and restore, end to end: back up, wipe the database and the stored files,
restore: the same pages and the same PDF bytes."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import GoalDetermination
from assessments.services import determination_submit
from reportcards import publishing
from reportcards.backup import stored_names
from reportcards.models import PublishedReportCard
from tests.factories import ready_to_publish
from tests.pages import parsed, text

# Each command commits, as it does on a server (PostgreSQL cannot flush tables with
# constraint checks still pending in a test's transaction).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

PAGES = [
    reverse("national"),
    reverse("assessments:overview", args=["MS", 2023]),
    reverse("assessments:history", args=["MS", 2023]),
    reverse("assessments:determination_history", args=["TN", 2023, "1.1"]),
    reverse("report_card", args=["MS", 2023]),
    reverse("dashboard", args=[2023]),
]


def what_users_see(client, user) -> dict[str, str]:
    client.force_login(user)
    return {url: text(parsed(client.get(url)).select_one("main")) for url in PAGES}


def downloaded_sha256(client) -> str:
    response = client.get(reverse("report_card_download", args=["MS", 2023, 1]))
    return hashlib.sha256(b"".join(response.streaming_content)).hexdigest()


@pytest.fixture
def published(world, django_capture_on_commit_callbacks):
    """Mississippi published once (a real PDF), a Tennessee goal edited and submitted."""
    assessment = ready_to_publish(world, "MS")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.report_card_publish_request(
            assessment_id=assessment.pk, user=world.users["publisher"]
        )
    goal = world.determination("TN", "1.1")
    determination_submit(
        determination_id=goal.pk, user=world.users["analyst"], expected_version=goal.version
    )
    return PublishedReportCard.objects.get()


def wipe():
    call_command("flush", "--noinput", verbosity=0)
    for name in list(stored_names()):
        default_storage.delete(name)


def test_it_restores_the_same_pages_and_the_same_pdf(client, world, published, tmp_path):
    before = what_users_see(client, world.users["admin"])
    history = list(GoalDetermination.history.values_list("history_id", "history_date"))
    pdf_sha256 = downloaded_sha256(client)
    assert pdf_sha256 == published.sha256

    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    wipe()
    assert not PublishedReportCard.objects.exists()
    assert not list(stored_names())

    call_command("restore", str(tmp_path / "backup"), "--noinput", verbosity=0)

    after = what_users_see(client, world.users["admin"])
    for url in PAGES:
        assert after[url] == before[url], url
    assert downloaded_sha256(client) == pdf_sha256
    assert list(GoalDetermination.history.values_list("history_id", "history_date")) == history


def test_it_refuses_a_damaged_backup_and_changes_nothing(client, world, published, tmp_path):
    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    stored = next(iter((tmp_path / "backup" / "files").rglob("*.pdf")))
    stored.write_bytes(b"%PDF- not what was published")
    with pytest.raises(CommandError, match="does not match its hash"):
        call_command("restore", str(tmp_path / "backup"), "--noinput", verbosity=0)
    assert PublishedReportCard.objects.get().pk == published.pk


def test_it_backs_up_only_into_an_empty_directory(world, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "old"), verbosity=0)
    assert (tmp_path / "old" / "keep.txt").read_text() == "mine"
