"""Publishing report cards and exporting cycles: the rules, the immutable versions, the
job pages and downloads, and the export ZIP. Celery runs eagerly here, so a task runs
in-process when the transaction that queued it commits.

Every test starts from the small world with Mississippi's three goals approved as fully
met (7.5 points) and the cycle scored; Tennessee has nothing approved.
"""

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

from assessments import services
from assessments.models import GoalDetermination, ReviewState
from assessments.recompute import cycle_recompute
from reportcards import publishing
from reportcards.models import ExportJob, JobState, PreviewJob, PublishedReportCard, PublishJob
from reportcards.tasks import publish_report_card, requeue_stale_jobs
from tests.factories import AssessmentFactory, CycleFactory, approve_as_they_are
from tests.pages import messages, parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "mississippi")]

REPORT_CARD = reverse("report_card", args=["MS", 2023])
PUBLISH = reverse("report_card_publish", args=["MS", 2023])


@pytest.fixture
def export(django_capture_on_commit_callbacks, world):
    """Build the 2023 export ZIP through the service, running the task as the commit does."""

    def export():
        with django_capture_on_commit_callbacks(execute=True):
            job = publishing.cycle_export_request(
                cycle_id=world.cycle.pk, user=world.users["publisher"]
            )
        job.refresh_from_db()
        return job

    return export


def request_publishing(mississippi, user, **options):
    """A publish request whose task is never sent, as with the broker down."""
    return publishing.report_card_publish_request(
        assessment_id=mississippi.pk, user=user, **options
    )


def stored_bytes(stored) -> bytes:
    """The stored file of a published version, a preview or an export job."""
    field = stored.file if isinstance(stored, PreviewJob | ExportJob) else stored.pdf
    with field.open("rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def never_approved(*goal_numbers: str):
    GoalDetermination.objects.filter(
        assessment__jurisdiction__code="MS", goal__number__in=goal_numbers
    ).update(review_state=ReviewState.DRAFT, approved=None)


def download(client, code="MS", year=2023, version=1):
    return client.get(reverse("report_card_download", args=[code, year, version]))


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def publish_section(client):
    return parsed(client.get(REPORT_CARD)).select_one("section[aria-labelledby=publish-heading]")


# Refusals


def test_it_refuses_to_publish_while_a_goal_is_unapproved(mississippi, world):
    never_approved("1.2")
    with pytest.raises(publishing.PublishRefused, match=r"1\.2 \(draft\)"):
        request_publishing(mississippi, world.users["admin"])
    assert not PublishJob.objects.exists()


def test_it_lists_the_unapproved_goals_and_disables_the_publish_button(client, world):
    never_approved("1.2", "2.1")
    client.force_login(world.users["publisher"])
    section = publish_section(client)
    blocked = section.select_one("#publish-blocked")
    assert "Publishing is not possible yet" in text(blocked)
    assert [text(goal) for goal in blocked.select("li")] == [
        "Goal 1.2 (draft) is not approved.",
        "Goal 2.1 (draft) is not approved.",
    ]
    assert section.select_one("button[aria-describedby=publish-blocked]").has_attr("disabled")


def test_it_refuses_to_publish_a_goal_that_refers_to_a_missing_quote(mississippi, world):
    goal = GoalDetermination.objects.filter(assessment=mississippi, goal__number="1.2")
    goal.update(narrative="As quoted:\n\n[[quote 2]]")
    approve_as_they_are(goal)  # the approved version is what the gate checks
    cycle_recompute(cycle_id=world.cycle.id)
    with pytest.raises(publishing.PublishRefused) as refused:
        request_publishing(mississippi, world.users["admin"])
    assert str(refused.value) == (
        "State MS 2023 cannot be published: "
        "Goal 1.2 refers to quote 2, but the goal has no citations."
    )
    assert not PublishJob.objects.exists()


def test_it_refuses_a_publish_request_on_the_page_with_a_message_listing_the_goals(client, world):
    never_approved("2.1")
    client.force_login(world.users["publisher"])
    response = client.post(PUBLISH, {"version": 1, "confirm": "on"})
    assert response.status_code == 409
    assert "2.1 (draft)" in messages(response)[0]
    assert not PublishJob.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "reviewer"])
def test_it_refuses_non_publishers_in_the_services(mississippi, world, role):
    with pytest.raises(PermissionDenied):
        request_publishing(mississippi, world.users[role])
    with pytest.raises(PermissionDenied):
        publishing.cycle_export_request(cycle_id=world.cycle.pk, user=world.users[role])


@pytest.mark.parametrize("role", ["analyst", "reviewer"])
def test_it_forbids_non_publishers_to_publish(client, world, role):
    client.force_login(world.users[role])
    assert client.post(PUBLISH, {"version": 1, "confirm": "on"}).status_code == 403
    assert not PublishJob.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "reviewer"])
def test_it_tells_non_publishers_who_can_publish(client, world, role):
    client.force_login(world.users[role])
    section = publish_section(client)
    assert "Only a publisher can publish report cards." in text(section)
    assert not section.select("button")


def test_it_asks_publishers_to_confirm_the_version(client, world):
    client.force_login(world.users["publisher"])
    confirm = publish_section(client).select_one("form label.form-check-label")
    assert text(confirm) == "I have checked this report card; publish version 1"


def test_it_publishes_nothing_without_the_confirmation(client, world):
    client.force_login(world.users["publisher"])
    response = client.post(PUBLISH, {"version": 1})
    assert response.status_code == 400
    assert messages(response)[0].startswith("Tick the confirmation box")
    assert not PublishJob.objects.exists()


# Publishing


def test_it_publishes_version_1_and_shows_its_job(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["publisher"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PUBLISH, {"version": 1, "confirm": "on"})
    job = PublishJob.objects.get()
    assert response["Location"] == reverse("publish_job", args=[job.pk])
    assert (job.state, job.result.version, job.result.published_by) == (
        JobState.DONE,
        1,
        world.users["publisher"],
    )


def test_it_stores_the_pdf_with_its_sha256_size_and_pages(publish_mississippi):
    card = publish_mississippi().result
    data = stored_bytes(card)
    assert card.sha256 == hashlib.sha256(data).hexdigest()
    assert card.size == len(data)
    assert card.pdf.name == f"report-cards/2023/MS/v1-{card.sha256[:12]}.pdf"
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == card.page_count


def test_it_publishes_the_score_without_the_draft_mark(publish_mississippi):
    text_of_card = pdf_text(stored_bytes(publish_mississippi().result))
    assert "7.5" in text_of_card
    assert "DRAFT" not in text_of_card


def test_it_needs_a_note_for_a_correction(publish_mississippi):
    publish_mississippi()
    with pytest.raises(publishing.PublishRefused, match="correction reason"):
        publish_mississippi()
    assert PublishedReportCard.objects.count() == 1


def test_it_publishes_a_correction_as_version_2_and_keeps_version_1(publish_mississippi):
    first = publish_mississippi().result
    first_stored = (first.sha256, first.pdf.name, stored_bytes(first))
    second = publish_mississippi(note="Goal 1.2: the 2023 amendment was left out.").result
    assert (second.version, second.note) == (2, "Goal 1.2: the 2023 amendment was left out.")
    assert second.pdf.name.startswith("report-cards/2023/MS/v2-")
    first.refresh_from_db()
    assert (first.sha256, first.pdf.name, stored_bytes(first)) == first_stored


def test_it_lists_the_published_versions_with_their_downloads(publish_mississippi, client, world):
    first = publish_mississippi().result
    publish_mississippi(note="Corrected a citation.")
    client.force_login(world.users["reviewer"])
    page = parsed(client.get(REPORT_CARD))
    rows = page.select("section[aria-labelledby=versions-heading] tbody tr")
    v2, v1 = [[text(cell) for cell in row.select("th, td")] for row in rows]
    assert (v1[0], v1[1], v1[-3]) == ("v1", first.sha256[:12], "—")
    assert (v2[0], v2[-3]) == ("v2", "Corrected a citation.")
    assert [row.select_one("a[download]")["href"] for row in rows] == [
        reverse("report_card_download", args=["MS", 2023, 2]),
        reverse("report_card_download", args=["MS", 2023, 1]),
    ]


def test_it_refuses_a_confirmation_of_a_version_someone_else_published_meanwhile(
    publish_mississippi, mississippi, world
):
    publish_mississippi()
    world.approve_texts("MS")
    with pytest.raises(publishing.PublishRefused, match="someone published meanwhile"):
        request_publishing(
            mississippi, world.users["publisher"], note="Correction", confirmed_version=1
        )


def test_it_refuses_a_second_request_while_one_is_queued(mississippi, world):
    request_publishing(mississippi, world.users["publisher"])
    with pytest.raises(publishing.PublishRefused, match="already being published"):
        request_publishing(mississippi, world.users["publisher"])


def test_it_does_nothing_when_a_finished_job_runs_again(publish_mississippi):
    job = publish_mississippi()
    publish_report_card(job.pk)
    publish_report_card.delay(job.pk)
    assert PublishedReportCard.objects.count() == 1
    job.refresh_from_db()
    assert (job.state, job.result.version) == (JobState.DONE, 1)


def test_it_fails_the_job_when_a_goal_was_reopened_after_the_request(mississippi, world):
    job = request_publishing(mississippi, world.users["publisher"])
    never_approved("1.1")
    publish_report_card(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "1.1 (draft)" in job.error
    assert not PublishedReportCard.objects.exists()


def test_it_requeues_jobs_left_queued_for_more_than_a_minute(mississippi, world):
    job = request_publishing(mississippi, world.users["publisher"])
    assert requeue_stale_jobs() == []  # queued just now: not stale yet
    PublishJob.objects.filter(pk=job.pk).update(
        queued_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    assert requeue_stale_jobs() == [f"PublishJob {job.pk}"]
    job.refresh_from_db()
    assert (job.state, job.result.version) == (JobState.DONE, 1)


# Job status


def test_it_reports_progress_100_and_the_download_url_when_done(publish_mississippi, client, world):
    job = publish_mississippi()
    client.force_login(world.users["publisher"])
    status = client.get(reverse("publish_job_status", args=[job.pk])).json()
    assert (status["state"], status["finished"], status["progress"], status["version"]) == (
        "done",
        True,
        100,
        1,
    )
    assert status["download_url"] == reverse("report_card_download", args=["MS", 2023, 1])


def test_it_shows_a_finished_job_with_its_download_and_keeps_it_current(
    publish_mississippi, client, world
):
    job = publish_mississippi()
    client.force_login(world.users["publisher"])
    page = parsed(client.get(reverse("publish_job", args=[job.pk])))
    progress = page.select_one(".job-progress")
    assert progress["data-job-status-url"] == reverse("publish_job_status", args=[job.pk])
    assert progress.select_one("[role=progressbar]")["aria-valuenow"] == "100"
    assert progress.select_one("[data-job-download]")["href"] == reverse(
        "report_card_download", args=["MS", 2023, 1]
    )
    assert page.select_one("script[src$='js/job-progress.js']")


def test_it_reports_a_queued_job_without_a_download(mississippi, client, world):
    job = request_publishing(mississippi, world.users["publisher"])
    client.force_login(world.users["publisher"])
    status = client.get(reverse("publish_job_status", args=[job.pk])).json()
    assert (status["state"], status["progress"], status["download_url"]) == ("queued", 0, None)


# Downloads


def test_it_serves_a_published_version_as_an_attachment(publish_mississippi, client, world):
    card = publish_mississippi().result
    client.force_login(world.users["analyst"])
    response = download(client)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="MS-2023-v1.pdf"'
    assert content_of(response) == stored_bytes(card)


def test_it_serves_each_version_as_published(publish_mississippi, client, world):
    first = stored_bytes(publish_mississippi().result)
    second = stored_bytes(publish_mississippi(note="Corrected a citation.").result)
    client.force_login(world.users["analyst"])
    assert [content_of(download(client, version=v)) for v in (1, 2)] == [first, second]


@pytest.mark.parametrize(
    "other", [{"code": "TN"}, {"code": "AL"}, {"year": 2024}, {"version": 2}], ids=str
)
def test_it_answers_404_for_a_version_of_another_jurisdiction_cycle_or_number(
    publish_mississippi, client, world, other
):
    publish_mississippi()
    next_year = CycleFactory(year=2024, framework=world.framework)
    AssessmentFactory(jurisdiction=world.jurisdictions["MS"], cycle=next_year)
    client.force_login(world.users["publisher"])
    assert download(client, **other).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("report_card_download", args=["MS", 2023, 1]),
        reverse("preview_download", args=[1]),
        reverse("export_download", args=[1]),
    ],
)
def test_it_sends_anonymous_users_to_login_for_every_download_url(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_renders_a_preview_in_the_background_and_marks_it_draft(
    client, world, django_capture_on_commit_callbacks
):
    """The preview button queues a job (no PDF is rendered in the request); the job page
    follows it and offers the draft PDF when the worker is done."""
    never_approved("1.2")
    client.force_login(world.users["analyst"])
    preview_url = reverse("report_card_preview", args=["MS", 2023])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        asked = client.post(preview_url)
    job = PreviewJob.objects.get()
    assert asked["Location"] == reverse("preview_job", args=[job.pk])
    assert job.state == JobState.QUEUED and not job.file
    waiting = parsed(client.get(asked["Location"]))
    assert text(waiting.select_one("[data-job-message]")) == "Waiting for a worker"
    assert client.post(preview_url)["Location"] == asked["Location"]  # one at a time

    for callback in queued:
        callback()  # the worker runs the task
    status = client.get(reverse("preview_job_status", args=[job.pk])).json()
    assert status["state"] == "done" and status["progress"] == 100
    response = client.get(status["download_url"])
    assert response["Content-Type"] == "application/pdf"
    assert "DRAFT" in pdf_text(content_of(response))
    assert not PublishedReportCard.objects.exists()


def test_it_keeps_only_the_latest_preview_file_of_a_person(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["analyst"])
    preview_url = reverse("report_card_preview", args=["MS", 2023])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(preview_url)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(preview_url)
    assert first["Location"] != second["Location"]
    older, newer = PreviewJob.objects.order_by("pk")
    assert client.get(reverse("preview_download", args=[newer.pk])).status_code == 200
    assert client.get(reverse("preview_download", args=[older.pk])).status_code == 404


def test_it_prints_current_scores_in_a_preview_of_a_stale_cycle(
    client, world, django_capture_on_commit_callbacks
):
    """The change that made the scores stale queued a recompute; the preview's worker
    does not print the old numbers meanwhile."""
    from assessments.recompute import cycle_mark_stale

    world.approve("MS", "1.2", "not_met")  # a new approval, not yet scored
    cycle_mark_stale(cycle_id=world.cycle.pk, queue=False)
    client.force_login(world.users["analyst"])
    report_card = parsed(client.get(REPORT_CARD))
    assert "Scores are being recomputed" in text(report_card.select_one("#score-state"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_card_preview", args=["MS", 2023]))
    job = PreviewJob.objects.get()
    assert job.state == JobState.DONE, job.error
    # Goal 1.2 no longer counts: 5 of the 7.5 points the approved goals held before (a D:
    # 67 % of the framework's 7.5 base points).
    assert "OVERALL GRADE D 5 17.5" in pdf_text(stored_bytes(job))


# Exports


@pytest.fixture
def archive(publish_mississippi, export, client, world):
    """The export ZIP of 2023 after Mississippi's version 1, downloaded by a publisher."""
    publish_mississippi()
    client.force_login(world.users["publisher"])
    response = client.get(reverse("export_download", args=[export().pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="report-cards-2023-')
    return zipfile.ZipFile(io.BytesIO(content_of(response)))


def test_it_exports_the_published_pdfs_scores_assessments_and_a_readme(archive):
    card = PublishedReportCard.objects.get()
    assert sorted(archive.namelist()) == [
        "README.txt",
        "assessments.json",
        "pdf/MS-2023-v1.pdf",
        "scores.csv",
    ]
    assert archive.read("pdf/MS-2023-v1.pdf") == stored_bytes(card)


def test_it_exports_every_jurisdictions_scores_best_first(archive):
    rows = list(csv.DictReader(archive.read("scores.csv").decode().splitlines()))
    assert [
        (row["jurisdiction"], row["total"], row["grade"], row["rank"], row["issue_1"])
        for row in rows
    ] == [("MS", "7.5", "A", "1", "5"), ("TN", "0", "F", "2", "0")]


def test_it_exports_every_assessment_in_the_import_format(archive):
    exported = json.loads(archive.read("assessments.json"))
    # Tennessee's goals were never approved: none of its drafts leaves the building.
    assert [(a["jurisdiction"], a["cycle"], len(a["determinations"])) for a in exported] == [
        ("MS", 2023, 3),
        ("TN", 2023, 0),
    ]
    assert {row["review_state"] for row in exported[0]["determinations"]} == {"approved"}


def test_it_exports_the_approved_version_never_a_newer_draft(publish_mississippi, export, world):
    publish_mississippi()
    goal = world.determination("MS", "1.2")
    approved_narrative = goal.narrative
    services.determination_save(
        determination_id=goal.pk,
        user=world.users["analyst"],
        expected_version=goal.version,
        data=services.DeterminationData(
            status="not_met", points=None, narrative="UNREVIEWED DRAFT TEXT"
        ),
        change_reason="A correction in progress",
    )
    assessment = world.assessments["MS"]
    assessment.refresh_from_db()
    services.assessment_texts_save(
        assessment_id=assessment.pk,
        user=world.users["analyst"],
        expected_version=assessment.version,
        texts=services.AssessmentTexts(["UNREVIEWED HIGHLIGHT"], {}, {}, "", ""),
        change_reason="A correction in progress",
    )
    job = export()
    archive = zipfile.ZipFile(io.BytesIO(stored_bytes(job)))
    exported = archive.read("assessments.json").decode()
    assert "UNREVIEWED DRAFT TEXT" not in exported
    assert "UNREVIEWED HIGHLIGHT" not in exported
    [row] = [r for r in json.loads(exported)[0]["determinations"] if r["goal"] == "1.2"]
    assert (row["status"], row["narrative"], row["version"]) == (
        "fully_met",
        approved_narrative,
        goal.version,
    )
    assert row["draft"] is None


def test_it_names_the_published_and_the_missing_report_cards_in_the_readme(archive):
    readme = archive.read("README.txt").decode()
    assert "pdf/MS-2023-v1.pdf  State MS, version 1 of" in readme
    assert PublishedReportCard.objects.get().sha256 in readme
    assert "No published report card (1)\n  TN  State TN\n" in readme


def test_it_lists_past_exports_with_their_downloads(export, client, world):
    job = export()
    client.force_login(world.users["publisher"])
    page = parsed(client.get(reverse("exports", args=[2023])))
    assert text(page.select_one("main form button")) == "Build export ZIP"
    row = page.select_one("section[aria-labelledby=exports-heading] tbody tr")
    assert row.select_one("[data-job-download]")["href"] == reverse(
        "export_download", args=[job.pk]
    )


def test_it_reports_an_export_jobs_status(export, client, world):
    job = export()
    client.force_login(world.users["publisher"])
    status = client.get(reverse("export_job_status", args=[job.pk])).json()
    assert (status["state"], status["progress"]) == ("done", 100)
    assert status["download_url"] == reverse("export_download", args=[job.pk])


def test_it_builds_an_export_from_the_page(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports", args=[2023]), follow=True)
    job = ExportJob.objects.get()
    assert job.state == JobState.DONE
    assert messages(response) == [f"Building the 2023 export ZIP (job {job.pk})."]
    archive = zipfile.ZipFile(job.file.open("rb"))
    assert not any(name.startswith("pdf/") for name in archive.namelist())
    assert "No published report card (2)" in archive.read("README.txt").decode()


def test_it_refuses_an_export_of_a_stored_pdf_changed_outside_the_application(
    publish_mississippi, export
):
    card = publish_mississippi().result
    with open(card.pdf.path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"tampered")
    job = export()
    assert job.state == JobState.FAILED
    assert "does not match the sha256" in job.error
    assert not job.file


@pytest.mark.parametrize(("role", "shown"), [("publisher", True), ("analyst", False)])
def test_it_shows_only_publishers_the_exports_link(client, world, role, shown):
    client.force_login(world.users[role])
    page = parsed(client.get(reverse("home")))
    assert bool(page.select(f'a[href="{reverse("exports", args=[2023])}"]')) is shown


def test_it_links_the_overview_to_the_report_card(client, world):
    client.force_login(world.users["analyst"])
    page = parsed(client.get(reverse("assessments:overview", args=["MS", 2023])))
    assert page.select(f'a[href="{REPORT_CARD}"]')


# The admin


def test_it_shows_published_versions_in_the_admin_without_a_save_button(
    publish_mississippi, client, world
):
    card = publish_mississippi().result
    client.force_login(world.users["admin"])
    changelist = client.get(reverse("admin:reportcards_publishedreportcard_changelist"))
    assert changelist.status_code == 200
    page = parsed(
        client.get(reverse("admin:reportcards_publishedreportcard_change", args=[card.pk]))
    )
    assert card.sha256 in text(page)
    assert not page.select('[name="_save"]')


@pytest.mark.parametrize(
    ("view", "data"),
    [("change", {"note": "rewritten"}), ("delete", {"post": "yes"})],
)
def test_it_refuses_to_change_or_delete_a_published_version_in_the_admin(
    publish_mississippi, client, world, view, data
):
    card = publish_mississippi().result
    client.force_login(world.users["admin"])
    url = reverse(f"admin:reportcards_publishedreportcard_{view}", args=[card.pk])
    assert client.post(url, data).status_code == 403
    card.refresh_from_db()
    assert card.note == ""


def test_it_offers_no_way_to_add_a_published_version_in_the_admin(client, world):
    client.force_login(world.users["admin"])
    add = reverse("admin:reportcards_publishedreportcard_add")
    assert client.get(add).status_code == 403


@pytest.mark.parametrize("name", ["publishjob", "exportjob"])
def test_it_lists_jobs_in_the_admin(client, world, name):
    client.force_login(world.users["admin"])
    assert client.get(reverse(f"admin:reportcards_{name}_changelist")).status_code == 200
