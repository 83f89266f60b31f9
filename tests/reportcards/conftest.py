"""Fixtures the report card tests share."""

import pytest

from assessments.recompute import cycle_recompute
from reportcards import publishing, releases
from reportcards.models import PublishedReportCard


@pytest.fixture
def mississippi(world):
    """Mississippi with every goal approved and the cycle's scores computed: ready to publish."""
    assessment = world.approve_all("MS")
    cycle_recompute(cycle_id=world.cycle.id)
    return assessment


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
    """Publish one card through the service (a preview before the release, a correction
    after it)."""

    def publish(code, *, note=""):
        with django_capture_on_commit_callbacks(execute=True):
            job = publishing.report_card_publish_request(
                assessment_id=world.assessments[code].pk, user=world.users["publisher"], note=note
            )
        job.refresh_from_db()
        return job

    return publish


@pytest.fixture
def publish_mississippi(mississippi, publish, world):
    """Publish Mississippi (every goal approved); a second call publishes a correction, with
    the texts approved again since (republishing what the last version was built from is
    refused)."""

    def publish_mississippi(*, note=""):
        if PublishedReportCard.objects.filter(assessment=mississippi).exists():
            world.approve_texts("MS")
        return publish("MS", note=note)

    return publish_mississippi
