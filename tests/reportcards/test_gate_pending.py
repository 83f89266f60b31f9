"""The publish gate shows what is pending (issue #11: "the newer draft is shown as pending
... on the gate"): a goal's or the state texts' newer version waiting for review is listed
beside the gate, never a blocker or a warning, because the card prints the approved
versions. Mississippi starts approved and scored."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment
from assessments.scoring import Status
from reportcards.gate import publish_gate
from tests.factories import save_as
from tests.pages import parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

REPORT_CARD = reverse("report_card", args=["MS", 2023])


@pytest.fixture
def corrections(mississippi, world):
    """A draft of goal 1.2 (version 3 after approved version 2) and submitted state texts."""
    analyst = world.users["analyst"]
    goal = world.determination("MS", "1.2")
    save_as(analyst, goal, reason="Repealed", status=Status.NOT_MET, points=None)
    assessment = Assessment.objects.get(pk=mississippi.pk)
    saved = services.assessment_texts_save(
        assessment_id=assessment.pk,
        user=analyst,
        expected_version=assessment.version,
        texts=services.AssessmentTexts(["A new highlight."], {}, {}, "", ""),
        change_reason="New highlight",
    )
    services.assessment_texts_submit(
        assessment_id=saved.pk, user=analyst, expected_version=saved.version
    )
    return world


def test_the_gate_lists_pending_versions_without_blocking(corrections):
    goal = corrections.determination("MS", "1.2")
    assessment = Assessment.objects.select_related("texts_approved").get(
        pk=corrections.assessments["MS"].pk
    )
    result = publish_gate(assessment)
    assert [finding.message for finding in result.pending] == [
        f"Goal 1.2: version {goal.version} (draft) is pending; the card prints approved "
        f"version {goal.approved_version}.",
        f"The state texts: version {assessment.version} (submitted) is pending; the card "
        f"prints approved version {assessment.texts_approved.version}.",
    ]
    assert result.blockers == []


def test_the_report_card_page_shows_them_and_still_offers_publishing(client, corrections):
    client.force_login(corrections.users["publisher"])
    page = parsed(client.get(REPORT_CARD))
    items = [text(li) for li in page.select("#gate-pending li")]
    assert len(items) == 2 and items[0].startswith("Goal 1.2: version")
    assert page.select_one("#gate-clear") is not None


def test_nothing_is_pending_when_every_version_is_approved(client, mississippi, world):
    client.force_login(world.users["publisher"])
    assert parsed(client.get(REPORT_CARD)).select_one("#gate-pending") is None
