"""Publishing report cards and exporting cycles: the rules, the immutable versions, the
job pages and downloads, and the export ZIP. Celery runs eagerly here, so a task runs
in-process when the transaction that queued it commits."""

import csv
import datetime
import hashlib
import io
import json
import zipfile

import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Cycle, GoalDetermination, ReviewState
from assessments.selectors import assessment_for
from reportcards import publishing
from reportcards.models import ExportJob, JobState, PublishedReportCard, PublishJob
from reportcards.tasks import publish_report_card, requeue_stale_jobs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def mississippi(db):
    return assessment_for("MS", 2023)


@pytest.fixture
def publish(django_capture_on_commit_callbacks, mississippi, users):
    """Publish Mississippi through the service, running the task as the commit does."""

    def publish(*, user=None, note=""):
        with django_capture_on_commit_callbacks(execute=True):
            job = publishing.report_card_publish_request(
                assessment_id=mississippi.pk, user=user or users["publisher"], note=note
            )
        job.refresh_from_db()
        return job

    return publish


def stored_bytes(card: PublishedReportCard) -> bytes:
    with card.pdf.open("rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def reopen(goal_number: str):
    GoalDetermination.objects.filter(
        assessment__jurisdiction__code="MS", assessment__cycle__year=2023, goal__number=goal_number
    ).update(review_state=ReviewState.DRAFT)


def download(client, code="MS", year=2023, version=1):
    return client.get(reverse("report_card_download", args=[code, year, version]))


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


# Refusals


def test_it_refuses_to_publish_while_a_goal_is_unapproved(mississippi, users):
    reopen("4.2")
    with pytest.raises(publishing.PublishRefused, match=r"4\.2 \(draft\)"):
        publishing.report_card_publish_request(assessment_id=mississippi.pk, user=users["admin"])
    assert not PublishJob.objects.exists()


def test_it_shows_the_unapproved_goals_and_a_disabled_publish_button(client, users):
    reopen("4.2")
    reopen("6.5")
    client.force_login(users["publisher"])
    page = client.get(reverse("report_card", args=["MS", 2023])).content.decode()
    assert "Publishing is not possible yet" in page
    assert "Goal 4.2</a> (draft)" in page and "Goal 6.5</a> (draft)" in page
    assert 'type="button" disabled aria-describedby="publish-blocked"' in page


def test_it_refuses_a_publish_request_on_the_page_with_a_message_listing_the_goals(client, users):
    reopen("3.3")
    client.force_login(users["publisher"])
    response = client.post(
        reverse("report_card_publish", args=["MS", 2023]), {"version": 1, "confirm": "on"}
    )
    assert response.status_code == 409
    shown = [str(message) for message in response.context["messages"]]
    assert any("3.3 (draft)" in message for message in shown), shown
    assert not PublishJob.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "reviewer"])
def test_it_refuses_non_publishers_in_the_service(mississippi, users, role):
    with pytest.raises(PermissionDenied):
        publishing.report_card_publish_request(assessment_id=mississippi.pk, user=users[role])
    with pytest.raises(PermissionDenied):
        publishing.cycle_export_request(cycle_id=mississippi.cycle_id, user=users[role])


@pytest.mark.parametrize("role", ["analyst", "reviewer"])
def test_it_refuses_non_publishers_on_the_page(client, users, role):
    client.force_login(users[role])
    response = client.post(
        reverse("report_card_publish", args=["MS", 2023]), {"version": 1, "confirm": "on"}
    )
    assert response.status_code == 403
    assert not PublishJob.objects.exists()
    page = client.get(reverse("report_card", args=["MS", 2023])).content.decode()
    assert "Only a publisher can publish" in page
    assert "Publish version 1</button>" not in page


def test_it_asks_for_the_confirmation_before_publishing(client, users):
    client.force_login(users["publisher"])
    page = client.get(reverse("report_card", args=["MS", 2023])).content.decode()
    assert "I have checked this report card; publish version 1" in page
    response = client.post(reverse("report_card_publish", args=["MS", 2023]), {"version": 1})
    assert response.status_code == 400
    assert any("Tick the confirmation box" in str(m) for m in response.context["messages"])
    assert not PublishJob.objects.exists()


# Publishing


def test_it_publishes_version_1_with_the_sha256_of_the_stored_file(
    client, users, django_capture_on_commit_callbacks
):
    client.force_login(users["publisher"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("report_card_publish", args=["MS", 2023]), {"version": 1, "confirm": "on"}
        )
    job = PublishJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("publish_job", args=[job.pk])
    card = PublishedReportCard.objects.get()
    assert (card.version, card.published_by, job.result, job.state) == (
        1,
        users["publisher"],
        card,
        JobState.DONE,
    )
    data = stored_bytes(card)
    assert card.sha256 == hashlib.sha256(data).hexdigest()
    assert card.size == len(data)
    assert card.pdf.name == f"report-cards/2023/MS/v1-{card.sha256[:12]}.pdf"
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == card.page_count
    text = pdf_text(data)
    assert "68.5" in text
    assert "DRAFT" not in text


def test_it_needs_a_note_for_a_correction_which_becomes_version_2(publish, client, users):
    first = publish().result
    first_bytes, first_sha, first_name = stored_bytes(first), first.sha256, first.pdf.name
    with pytest.raises(publishing.PublishRefused, match="correction reason"):
        publish()
    second = publish(note="Goal 2.9: the 2023 amendment was left out.").result
    assert second.version == 2
    assert second.note == "Goal 2.9: the 2023 amendment was left out."
    assert second.pdf.name.startswith("report-cards/2023/MS/v2-")

    first.refresh_from_db()
    assert (first.sha256, first.pdf.name, stored_bytes(first)) == (
        first_sha,
        first_name,
        first_bytes,
    )
    client.force_login(users["analyst"])
    assert content_of(download(client, version=1)) == first_bytes
    assert content_of(download(client, version=2)) == stored_bytes(second)


def test_it_lists_the_published_versions_with_their_downloads(publish, client, users):
    first = publish().result
    publish(note="Corrected a citation.")
    client.force_login(users["reviewer"])
    page = client.get(reverse("report_card", args=["MS", 2023])).content.decode()
    assert first.sha256[:12] in page
    assert "Corrected a citation." in page
    assert reverse("report_card_download", args=["MS", 2023, 1]) in page
    assert reverse("report_card_download", args=["MS", 2023, 2]) in page


def test_it_refuses_a_confirmation_of_a_version_someone_else_published_meanwhile(
    publish, mississippi, users
):
    publish()
    with pytest.raises(publishing.PublishRefused, match="someone published meanwhile"):
        publishing.report_card_publish_request(
            assessment_id=mississippi.pk,
            user=users["publisher"],
            note="Correction",
            confirmed_version=1,
        )


def test_it_refuses_a_second_request_while_one_is_queued(mississippi, users):
    publishing.report_card_publish_request(assessment_id=mississippi.pk, user=users["publisher"])
    with pytest.raises(publishing.PublishRefused, match="already being published"):
        publishing.report_card_publish_request(
            assessment_id=mississippi.pk, user=users["publisher"]
        )


def test_it_does_nothing_when_a_finished_job_runs_again(publish):
    job = publish()
    publish_report_card(job.pk)
    publish_report_card.delay(job.pk)
    assert PublishedReportCard.objects.count() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result.version == 1


def test_it_fails_the_job_when_a_goal_was_reopened_after_the_request(
    mississippi, users, django_capture_on_commit_callbacks
):
    job = publishing.report_card_publish_request(
        assessment_id=mississippi.pk, user=users["publisher"]
    )
    reopen("1.1")
    publish_report_card(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "1.1 (draft)" in job.error
    assert not PublishedReportCard.objects.exists()


def test_it_requeues_jobs_left_queued_for_more_than_a_minute(mississippi, users):
    job = publishing.report_card_publish_request(
        assessment_id=mississippi.pk, user=users["publisher"]
    )  # outside a commit capture: its task was never sent, as with the broker down
    assert requeue_stale_jobs() == []  # queued just now: not stale yet
    PublishJob.objects.filter(pk=job.pk).update(
        queued_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    assert requeue_stale_jobs() == [f"PublishJob {job.pk}"]
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result.version == 1


# Job status


def test_it_reports_progress_100_and_the_download_url_when_done(publish, client, users):
    job = publish()
    client.force_login(users["publisher"])
    status = client.get(reverse("publish_job_status", args=[job.pk])).json()
    assert status["state"] == "done" and status["finished"]
    assert status["progress"] == 100
    assert status["version"] == 1
    assert status["download_url"] == reverse("report_card_download", args=["MS", 2023, 1])
    page = client.get(reverse("publish_job", args=[job.pk])).content.decode()
    assert 'aria-valuenow="100"' in page
    assert 'data-job-status-url="' + reverse("publish_job_status", args=[job.pk]) in page
    assert "js/job-progress.js" in page


def test_it_reports_a_queued_job_without_a_download(mississippi, client, users):
    job = publishing.report_card_publish_request(
        assessment_id=mississippi.pk, user=users["publisher"]
    )
    client.force_login(users["publisher"])
    status = client.get(reverse("publish_job_status", args=[job.pk])).json()
    assert (status["state"], status["progress"], status["download_url"]) == ("queued", 0, None)


# Downloads


def test_it_serves_a_published_version_as_an_attachment(publish, client, users):
    card = publish().result
    client.force_login(users["analyst"])
    response = download(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="MS-2023-v1.pdf"'
    assert content_of(response) == stored_bytes(card)


def test_it_returns_404_for_a_version_of_another_jurisdiction_or_cycle(
    publish, client, users, cycle
):
    publish()
    other_cycle = Cycle.objects.create(
        year=2024, framework=cycle.framework, legislative_cutoff=datetime.date(2024, 7, 1)
    )
    Assessment.objects.create(
        jurisdiction=assessment_for("MS", 2023).jurisdiction, cycle=other_cycle
    )
    client.force_login(users["publisher"])
    assert download(client).status_code == 200
    assert download(client, code="AL").status_code == 404
    assert download(client, year=2024).status_code == 404
    assert download(client, version=2).status_code == 404


def test_it_sends_anonymous_users_to_login_for_every_download_url(publish, client, users):
    publish()
    export = ExportJob.objects.create(
        cycle=Cycle.objects.get(year=2023), requested_by=users["publisher"]
    )
    for url in (
        reverse("report_card_download", args=["MS", 2023, 1]),
        reverse("report_card_preview", args=["MS", 2023]),
        reverse("export_download", args=[export.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_it_previews_a_draft_while_a_goal_is_unapproved(client, users):
    reopen("4.2")
    client.force_login(users["analyst"])
    response = client.get(reverse("report_card_preview", args=["MS", 2023]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "DRAFT" in pdf_text(response.content)
    assert not PublishedReportCard.objects.exists()


# Exports


@pytest.fixture
def export(django_capture_on_commit_callbacks, users, cycle):
    def export():
        with django_capture_on_commit_callbacks(execute=True):
            job = publishing.cycle_export_request(cycle_id=cycle.pk, user=users["publisher"])
        job.refresh_from_db()
        return job

    return export


def test_it_exports_the_cycle_as_a_zip(publish, export, client, users):
    card = publish().result
    job = export()
    assert (job.state, job.progress, job.error) == (JobState.DONE, 100, "")
    client.force_login(users["publisher"])
    response = client.get(reverse("export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="report-cards-2023-')
    archive = zipfile.ZipFile(io.BytesIO(content_of(response)))
    assert sorted(archive.namelist()) == [
        "README.txt",
        "assessments.json",
        "pdf/MS-2023-v1.pdf",
        "scores.csv",
    ]
    assert archive.read("pdf/MS-2023-v1.pdf") == stored_bytes(card)

    lines = archive.read("scores.csv").decode().splitlines()
    assert len(lines) == 52
    rows = {row["jurisdiction"]: row for row in csv.DictReader(lines)}
    ms = rows["MS"]
    assert (ms["total"], ms["grade"], ms["rank"], ms["tied"], ms["tier"]) == (
        "68.5",
        "D",
        "10",
        "True",
        "1",
    )
    assert (ms["issue_1"], ms["issue_1_grade"], ms["extra_credit_total"]) == ("16", "A", "8")

    assessments = json.loads(archive.read("assessments.json"))
    assert len(assessments) == 51
    ms_export = next(a for a in assessments if a["jurisdiction"] == "MS")
    assert len(ms_export["determinations"]) == 40
    assert ms_export["cycle"] == 2023

    readme = archive.read("README.txt").decode()
    assert "pdf/MS-2023-v1.pdf" in readme and card.sha256 in readme
    assert "No published report card (50)" in readme
    assert "AL  Alabama" in readme


def test_it_lists_past_exports_and_reports_their_status(publish, export, client, users):
    job = export()
    client.force_login(users["publisher"])
    page = client.get(reverse("exports", args=[2023])).content.decode()
    assert "Build export ZIP" in page
    assert reverse("export_download", args=[job.pk]) in page
    status = client.get(reverse("export_job_status", args=[job.pk])).json()
    assert (status["state"], status["progress"]) == ("done", 100)
    assert status["download_url"] == reverse("export_download", args=[job.pk])


def test_it_builds_an_export_from_the_page(client, users, django_capture_on_commit_callbacks):
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports", args=[2023]), follow=True)
    job = ExportJob.objects.get()
    assert job.state == JobState.DONE
    assert f"Building the 2023 export ZIP (job {job.pk})" in response.content.decode()
    archive = zipfile.ZipFile(job.file.open("rb"))
    assert not any(name.startswith("pdf/") for name in archive.namelist())
    assert "No published report card (51)" in archive.read("README.txt").decode()


def test_it_refuses_an_export_of_a_stored_pdf_changed_outside_the_application(publish, export):
    card = publish().result
    with open(card.pdf.path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"tampered")
    job = export()
    assert job.state == JobState.FAILED
    assert "does not match the sha256" in job.error
    assert not job.file


def test_it_shows_publishers_the_exports_link(client, users):
    client.force_login(users["publisher"])
    assert reverse("exports", args=[2023]) in client.get(reverse("home")).content.decode()
    client.force_login(users["analyst"])
    assert reverse("exports", args=[2023]) not in client.get(reverse("home")).content.decode()


def test_it_links_the_overview_to_the_report_card(client, users):
    client.force_login(users["analyst"])
    page = client.get(reverse("assessments:overview", args=["MS", 2023])).content.decode()
    assert reverse("report_card", args=["MS", 2023]) in page


def test_it_shows_published_versions_in_the_admin_without_a_way_to_change_them(
    publish, client, users
):
    card = publish().result
    client.force_login(users["admin"])
    changelist = reverse("admin:reportcards_publishedreportcard_changelist")
    assert client.get(changelist).status_code == 200
    change = reverse("admin:reportcards_publishedreportcard_change", args=[card.pk])
    page = client.get(change)
    assert page.status_code == 200 and card.sha256 in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"note": "rewritten"}).status_code == 403
    add = reverse("admin:reportcards_publishedreportcard_add")
    assert client.get(add).status_code == 403
    delete = reverse("admin:reportcards_publishedreportcard_delete", args=[card.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    card.refresh_from_db()
    assert card.note == ""
    for name in ("publishjob", "exportjob"):
        assert client.get(reverse(f"admin:reportcards_{name}_changelist")).status_code == 200
