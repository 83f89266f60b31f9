"""Releasing a cycle: every card in one job, refusals naming each blocker per jurisdiction,
the embargo, previews before the release and corrections after it.

A small world of three jurisdictions, each goal approved: Mississippi and Tennessee fully
met (7.5 points, tied first), Alabama with its Safe Harbor goal not met (5 points, third).
Celery runs eagerly; the commit callbacks run the tasks as a commit would.
"""

import datetime
import io
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assessments.models import GoalDetermination, ReviewState
from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from reportcards import publishing, releases, selectors
from reportcards.gate import Finding, GateResult
from reportcards.jobs import JobNotActive
from reportcards.models import JobState, PublishedReportCard, ReleaseJob
from reportcards.tasks import requeue_stale_jobs
from tests.factories import three_states_to_release
from tests.pages import messages, parsed, send, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def world(db):
    return three_states_to_release()


def pdf_text(card: PublishedReportCard) -> str:
    with card.pdf.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_release_publishes_every_jurisdiction_in_one_job_and_freezes_the_standings(
    release, world
):
    job = release()
    assert job.state == JobState.DONE, job.error
    assert job.progress == 100 and job.message == "Released 3 report cards"
    cards = PublishedReportCard.objects.filter(release=job).order_by("assessment__jurisdiction")
    assert [(c.assessment.jurisdiction.code, c.version) for c in cards] == [
        ("AL", 1),
        ("MS", 1),
        ("TN", 1),
    ]
    assert job.standings["MS"] == {
        "rank": 1,
        "tied": True,
        "tier": job.standings["MS"]["tier"],
        "total": "7.50",
        "grade": job.standings["MS"]["grade"],
    }
    assert job.standings["AL"]["rank"] == 3 and job.standings["AL"]["total"] == "5.00"
    assert len(selectors.released_cards(world.cycle)) == 3
    assert "RANKED 1ST (TIE)" in pdf_text(cards.get(assessment__jurisdiction__code="MS"))


def test_a_release_is_refused_with_every_blocker_named_per_jurisdiction(release, world):
    GoalDetermination.objects.filter(
        assessment__jurisdiction__code__in=["MS", "TN"], goal__number="1.2"
    ).update(review_state=ReviewState.DRAFT, approved=None)
    with pytest.raises(releases.ReleaseRefused) as refused:
        release()
    assert refused.value.blockers == {
        "State MS": ["Goal 1.2 (draft) is not approved."],
        "State TN": ["Goal 1.2 (draft) is not approved."],
    }
    assert "2 blockers in 2 jurisdictions" in str(refused.value)
    assert not ReleaseJob.objects.exists() and not PublishedReportCard.objects.exists()


def test_only_a_publisher_releases(world):
    with pytest.raises(PermissionDenied):
        releases.cycle_release_request(cycle_id=world.cycle.pk, user=world.users["reviewer"])


def test_a_scheduled_release_waits_for_its_time_and_the_beat_task_starts_it(
    release, world, django_capture_on_commit_callbacks
):
    at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)
    job = release(at=at)
    assert job.state == JobState.QUEUED and job.scheduled_for == at
    assert job.message.startswith("Scheduled for ")
    # Before the time: nothing is published, nothing released, the sweep does not send it.
    requeue_stale_jobs(older_than_seconds=0)
    assert releases.releases_start_due(now=at - datetime.timedelta(minutes=1)) == []
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert not PublishedReportCard.objects.exists()
    assert selectors.released_cards(world.cycle) == {}
    # At the time the beat task sends it.
    assert releases.releases_start_due(now=at) == [f"ReleaseJob {job.pk}"]
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert len(selectors.released_cards(world.cycle)) == 3


def test_a_time_in_the_past_releases_now(release):
    job = release(at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5))
    assert job.state == JobState.DONE and job.scheduled_for is None


def test_a_scheduled_release_can_be_cancelled_and_then_never_starts(release, world):
    at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)
    job = release(at=at)
    releases.release_job_cancel(job_id=job.pk, user=world.users["publisher"])
    assert releases.releases_start_due(now=at + datetime.timedelta(hours=1)) == []
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert not PublishedReportCard.objects.exists()
    with pytest.raises(JobNotActive):
        releases.release_job_cancel(job_id=job.pk, user=world.users["publisher"])


def test_a_second_release_is_refused_while_one_is_scheduled(release):
    release(at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2))
    with pytest.raises(releases.ReleaseRefused, match="already scheduled for"):
        release()


def test_a_card_published_before_the_release_is_a_preview_not_released(publish, release, world):
    job = publish("MS")
    assert job.state == JobState.DONE, job.error
    assert selectors.released_cards(world.cycle) == {}
    release()
    released = selectors.released_cards(world.cycle)
    assert released[world.assessments["MS"].pk].version == 2  # the release's, not the preview


def test_a_correction_after_the_release_keeps_the_released_ranks_and_prints_its_errata(
    publish, release, world
):
    release()
    # Mississippi's goals 1.1 and 1.2 are corrected to not met: 2.5 points, last today.
    world.approve("MS", "1.1", Status.NOT_MET)
    world.approve("MS", "1.2", Status.NOT_MET)
    cycle_recompute(cycle_id=world.cycle.id)
    note = "Goals 1.1 and 1.2 are not met: the statute cited was repealed in 2022."
    job = publish("MS", note=note)
    assert job.state == JobState.DONE, job.error
    card = job.result
    assert card.version == 2 and card.release is not None
    printed = " ".join(pdf_text(card).split())
    assert "ERRATA (version 2):" in printed and "statute cited was repealed" in printed
    assert "RANKED 1ST (TIE)" in printed  # as released, not third as computed now
    assert selectors.released_cards(world.cycle)[world.assessments["MS"].pk] == card
    assert list(selectors.corrections(world.cycle)) == [card]


# What a release leaves to read as data


def test_released_reports_are_the_cards_as_printed_best_first(release, world):
    assert selectors.released_reports(world.cycle) == []  # nothing before the release
    release()
    reports = selectors.released_reports(world.cycle)
    assert [(r.card.code, r.card.rank, r.card.tied) for r in reports] == [
        ("MS", 1, True),
        ("TN", 1, True),
        ("AL", 3, False),
    ]
    ms = reports[0]
    assert ms.card.edition.version == ms.published.version
    printed = " ".join(pdf_text(ms.published).split())
    assert "RANKED 1ST (TIE)" in printed and ms.card.grade == "A"


def test_released_reports_keep_what_was_printed_until_a_correction_is_published(
    publish, release, world
):
    release()
    world.approve("MS", "1.1", Status.NOT_MET)
    cycle_recompute(cycle_id=world.cycle.id)
    before = {r.card.code: r.card for r in selectors.released_reports(world.cycle)}
    assert before["MS"].total == Decimal("7.5")  # the new approval is not published yet
    assert publish("MS", note="Goal 1.1 is not met.").state == JobState.DONE
    after = {r.card.code: r for r in selectors.released_reports(world.cycle)}
    assert after["MS"].published.version == 2
    assert after["MS"].card.total == Decimal("5") and after["MS"].card.rank == 1  # as released
    assert after["MS"].card.edition.errata == "Goal 1.1 is not met."


def test_released_reports_read_in_two_queries(django_assert_num_queries, release, world):
    release()
    with django_assert_num_queries(2):
        assert len(selectors.released_reports(world.cycle)) == 3


def test_a_released_version_without_its_document_is_named(release, world):
    release()
    PublishedReportCard.objects.filter(assessment__jurisdiction__code="AL").update(document=None)
    with pytest.raises(selectors.DocumentMissing, match="State AL 2023 v1"):
        selectors.released_reports(world.cycle)


# The release page and the changelog


RELEASE_PAGE = "/cycles/2023/release/"


def test_the_release_page_lists_the_gate_of_every_jurisdiction(client, world):
    GoalDetermination.objects.filter(
        assessment__jurisdiction__code="TN", goal__number="1.2"
    ).update(review_state=ReviewState.DRAFT, approved=None)
    client.force_login(world.users["publisher"])
    page = parsed(client.get(RELEASE_PAGE))
    rows = {
        text(row.find("th")): [text(cell) for cell in row.find_all("td")]
        for row in page.select("#gate tbody tr")
    }
    assert list(rows) == ["State AL", "State MS", "State TN"]
    assert rows["State TN"][0] == "Goal 1.2 (draft) is not approved."
    assert rows["State MS"][0] == "None"
    assert "1 blocked" in text(page.select_one("#gate-summary"))
    assert page.select_one("#release-form") is None
    assert "Fix every blocker" in text(page.select_one("#release-blocked"))


def test_a_publisher_schedules_the_release_follows_it_and_cancels_it(client, world):
    client.force_login(world.users["publisher"])
    at = timezone.localtime() + datetime.timedelta(days=2)
    response = send(client, RELEASE_PAGE, "#release-form", at=at.strftime("%Y-%m-%dT%H:%M"))
    assert messages(response) == [f"The 2023 release is scheduled for {at:%Y-%m-%d %H:%M %Z}."]
    job = ReleaseJob.objects.get()
    assert job.state == JobState.QUEUED and not PublishedReportCard.objects.exists()
    page = parsed(response)
    assert "A release is under way or scheduled" in text(page.select_one("#active-release"))
    status = client.get(f"/releases/job/{job.pk}/status/").json()
    assert status["state"] == "queued" and status["message"].startswith("Scheduled for")
    response = client.post(f"/releases/job/{job.pk}/cancel/", follow=True)
    assert messages(response) == [f"Release job {job.pk} is cancelled."]
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED


def test_releasing_from_the_page_needs_each_warning_acknowledged(client, world, monkeypatch):
    warning = Finding("State MS: the highlights name a figure that changed.")

    def with_warning(assessment):
        result = GateResult()
        if assessment.jurisdiction.code == "MS":
            result.warnings = [warning]
        return result

    monkeypatch.setattr(releases, "publish_gate", with_warning)
    client.force_login(world.users["publisher"])
    response = client.post(RELEASE_PAGE, {"at": ""}, follow=True)
    assert messages(response) == [
        "Acknowledge each warning before releasing: State MS: the highlights name a figure "
        "that changed."
    ]
    assert not ReleaseJob.objects.exists()
    page = parsed(client.get(RELEASE_PAGE))
    assert text(page.select_one("#release-form fieldset label")) == warning.message


def test_the_changelog_lists_each_correction_with_its_errata(client, publish, release, world):
    client.force_login(world.users["analyst"])
    page = parsed(client.get("/cycles/2023/changelog/"))
    assert "has not been released yet" in text(page.select_one("#unreleased"))
    release()
    world.approve("MS", "1.1", Status.PARTIALLY_MET, Decimal("1"))
    cycle_recompute(cycle_id=world.cycle.id)
    publish("MS", note="Goal 1.1 is partially met: one statute cited covers adults only.")
    page = parsed(client.get("/cycles/2023/changelog/"))
    rows = [
        [text(cell) for cell in row.find_all(["th", "td"])]
        for row in page.select("#changelog tbody tr")
    ]
    assert [row[1:] for row in rows] == [
        [
            "State MS",
            "Version 2",
            "Web page of version 2, State MS",
            "Goal 1.1 is partially met: one statute cited covers adults only.",
        ]
    ]


def test_the_report_card_page_tells_previews_from_released_versions(
    client, publish, release, world
):
    publish("MS")
    release()
    client.force_login(world.users["reviewer"])
    page = parsed(client.get("/report-cards/MS/2023/"))
    rows = page.select("section[aria-labelledby=versions-heading] tbody tr")
    assert [(text(row.th), text(row.find_all("td")[5])) for row in rows] == [
        ("v2", "Released"),
        ("v1", "Preview (staff only until the cycle is released)"),
    ]


def test_a_single_card_is_not_published_while_the_cycle_is_being_released(publish, world):
    running = ReleaseJob.objects.create(
        cycle=world.cycle, requested_by=world.users["publisher"], state=JobState.RUNNING
    )
    with pytest.raises(publishing.PublishRefused, match=f"being released \\(job {running.pk}\\)"):
        publish("MS")
    assert not PublishedReportCard.objects.exists()


def test_a_release_scheduled_for_later_leaves_previews_possible(publish, release):
    release(at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1))
    assert publish("MS").state == JobState.DONE


def test_a_release_time_that_is_not_one_is_refused_and_nothing_is_scheduled(client, world):
    client.force_login(world.users["publisher"])
    response = client.post(RELEASE_PAGE, {"at": "next tuesday"}, follow=True)
    assert messages(response) == ["Enter a valid date/time."]
    assert not ReleaseJob.objects.exists()
