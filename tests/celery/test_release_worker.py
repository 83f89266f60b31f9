"""A scheduled cycle release, started by a real beat and run by a real Celery worker on a
real Redis: the whole sample cycle (51 jurisdictions) in one job."""

import datetime

import pytest
from django.utils import timezone

# Every task defined before the broker fixture finalizes the app (as in
# tests/celery/test_publish_worker.py).
import assessments.tasks  # noqa: F401
import reportcards.tasks  # noqa: F401
from assessments.models import Cycle
from assessments.recompute import scores_make_current
from reportcards import releases, selectors
from reportcards.models import JobState, PublishedReportCard, ReleaseJob

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_media(settings, monkeypatch, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    return media


def test_beat_starts_a_scheduled_release_and_the_worker_releases_every_card(
    shared_media, start_worker, users, wait_for, monkeypatch
):
    monkeypatch.setenv("RELEASE_CHECK_SECONDS", "1")
    cycle = Cycle.objects.get(year=2023)
    scores_make_current(cycle=cycle)
    gate = releases.cycle_gate(cycle)
    job = releases.cycle_release_request(
        cycle_id=cycle.pk,
        user=users["publisher"],
        at=timezone.now() + datetime.timedelta(seconds=20),
        acknowledged=[warning.key for warning in gate.warnings],
    )
    worker = start_worker(beat=True)
    # Under embargo: queued, nothing published, nothing released.
    assert ReleaseJob.objects.get(pk=job.pk).state == JobState.QUEUED
    assert not PublishedReportCard.objects.exists()
    assert selectors.released_cards(cycle) == {}
    wait_for(
        lambda: ReleaseJob.objects.get(pk=job.pk).finished,
        timeout=900,
        message="the worker did not finish the release",
        log=worker.log,
    )
    job.refresh_from_db()
    assert (job.state, job.progress, job.error) == (JobState.DONE, 100, "")
    assert job.started_at >= job.scheduled_for
    assert job.message == "Released 51 report cards"
    assert PublishedReportCard.objects.filter(release=job).count() == 51
    assert len(job.standings) == 51
    assert len(selectors.released_cards(cycle)) == 51
