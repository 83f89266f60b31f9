"""Report cards published by a real Celery worker on a real Redis, through an outage."""

import hashlib

import pytest
from django.urls import reverse

# Define every task before anything finalizes the Celery app, as a worker's autodiscovery
# does: the `broker` fixture closes the app, which drops it from Celery's active apps, and
# a shared task first imported after that never reaches the app's registry (so a later
# test would find `recompute_cycle` or `publish_report_card` not registered).
import assessments.tasks  # noqa: F401
import reportcards.tasks  # noqa: F401
from reportcards import publishing
from reportcards.models import JobState, PublishedReportCard, PublishJob

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_media(settings, monkeypatch, tmp_path):
    """One MEDIA_ROOT for this process and the worker (which reads it from the environment),
    so the file the worker stores is the file the test reads and serves."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    return media


def mississippi_id():
    from assessments.models import Assessment

    return Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023).pk


def publish_mississippi(publisher, note=""):
    """Ask to publish Mississippi as a publisher who ticked every warning of the gate (the
    sample's typed change since 2021 is a fact the app cannot check, by design; its statutes
    carry no enacted dates and five quotes differ from the seed's statute text: warnings,
    never blockers, so the sample stays publishable)."""
    from assessments.models import Assessment
    from reportcards.gate import publish_gate

    assessment = Assessment.objects.get(pk=mississippi_id())
    return publishing.report_card_publish_request(
        assessment_id=assessment.pk,
        user=publisher,
        note=note,
        acknowledged=[warning.key for warning in publish_gate(assessment).warnings],
    )


def job_state(job):
    return PublishJob.objects.get(pk=job.pk).state


def test_it_publishes_a_report_card_on_the_worker(
    shared_media, start_worker, users, client, wait_for
):
    worker = start_worker()
    job = publish_mississippi(users["publisher"])
    wait_for(
        lambda: job_state(job) in (JobState.DONE, JobState.FAILED),
        timeout=60,
        message="the worker did not finish the publish job",
        log=worker.log,
    )
    job.refresh_from_db()
    assert (job.state, job.progress, job.error) == (JobState.DONE, 100, "")
    card = PublishedReportCard.objects.get()
    assert job.result == card and card.version == 1
    data = (shared_media / card.pdf.name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == card.sha256
    client.force_login(users["reviewer"])
    response = client.get(reverse("report_card_download", args=["MS", 2023, 1]))
    assert b"".join(response.streaming_content) == data


def test_it_publishes_a_job_queued_while_redis_was_down(
    shared_media, monkeypatch, start_worker, broker, users, wait_for
):
    # The sweep runs every second and re-queues jobs queued for more than a second.
    monkeypatch.setenv("JOB_SWEEP_SECONDS", "1")
    monkeypatch.setenv("JOB_REQUEUE_AFTER_SECONDS", "1")
    worker = start_worker(beat=True)
    broker.stop()
    job = publish_mississippi(users["publisher"])
    assert job_state(job) == JobState.QUEUED  # saved, though its task could not be sent
    broker.start()
    wait_for(
        lambda: job_state(job) == JobState.DONE,
        timeout=60,
        message="the sweep did not publish the job queued while Redis was down",
        log=worker.log,
    )
    assert PublishedReportCard.objects.get().version == 1
