"""Releasing a cycle: every card in one job, refusals naming each blocker per jurisdiction,
the embargo, previews before the release and corrections after it.

A small world of three jurisdictions, each goal approved: Mississippi and Tennessee fully
met (7.5 points, tied first), Alabama with its Safe Harbor goal not met (5 points, third).
Celery runs eagerly; the commit callbacks run the tasks as a commit would.
"""

import datetime
import io

import pypdf
import pytest
from django.core.exceptions import PermissionDenied

from assessments.models import GoalDetermination, ReviewState
from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from reportcards import publishing, releases, selectors
from reportcards.jobs import JobNotActive
from reportcards.models import JobState, PublishedReportCard, ReleaseJob
from reportcards.tasks import requeue_stale_jobs
from tests.factories import small_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

NOW = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(db):
    world = small_world(codes=("AL", "MS", "TN"))
    for code in ("MS", "TN"):
        world.approve_all(code)
    world.approve("AL", "1.1")
    world.approve("AL", "1.2")
    world.approve("AL", "2.1", Status.NOT_MET)
    world.approve_texts("AL")
    cycle_recompute(cycle_id=world.cycle.id)
    return world


@pytest.fixture
def release(django_capture_on_commit_callbacks, world):
    """Release (or schedule) the 2023 cycle through the service, as the page does."""

    def release(*, at=None, note=""):
        gate = releases.cycle_gate(world.cycle)
        with django_capture_on_commit_callbacks(execute=True):
            job = releases.cycle_release_request(
                cycle_id=world.cycle.pk,
                user=world.users["publisher"],
                at=at,
                note=note,
                acknowledged=[warning.key for warning in gate.warnings],
            )
        job.refresh_from_db()
        return job

    return release


@pytest.fixture
def publish(django_capture_on_commit_callbacks, world):
    def publish(code, *, note=""):
        with django_capture_on_commit_callbacks(execute=True):
            job = publishing.report_card_publish_request(
                assessment_id=world.assessments[code].pk, user=world.users["publisher"], note=note
            )
        job.refresh_from_db()
        return job

    return publish


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
