"""Fixtures the report card tests share."""

import pytest

from assessments.recompute import cycle_recompute
from reportcards import publishing
from reportcards.models import PublishedReportCard


@pytest.fixture
def mississippi(world):
    """Mississippi with every goal approved and the cycle's scores computed: ready to publish."""
    assessment = world.approve_all("MS")
    cycle_recompute(cycle_id=world.cycle.id)
    return assessment


@pytest.fixture
def publish(django_capture_on_commit_callbacks, mississippi, world):
    """Publish Mississippi through the service, running the task as the commit does."""

    def publish(*, note=""):
        if PublishedReportCard.objects.filter(assessment=mississippi).exists():
            # A correction: the texts were approved again since (republishing what the
            # last version was built from is refused).
            world.approve_texts("MS")
        with django_capture_on_commit_callbacks(execute=True):
            job = publishing.report_card_publish_request(
                assessment_id=mississippi.pk, user=world.users["publisher"], note=note
            )
        job.refresh_from_db()
        return job

    return publish
