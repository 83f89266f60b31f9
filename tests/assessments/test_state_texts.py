"""State texts are reviewed like goals: one unit, one version, four-eyes, version-tied
approval, a reason to edit approved texts; the card prints the approved texts."""

import pytest

from assessments import services
from assessments.cycles import cycle_create_from_previous
from assessments.models import (
    Assessment,
    AssessmentTextsApproval,
    ReviewState,
    TextsReviewEvent,
)
from assessments.recompute import cycle_recompute
from assessments.services import AssessmentTexts, WorkflowError
from core.conflicts import EditConflict
from reportcards.pdf.data import report_card_data
from tests.pages import messages, parsed, text


def texts(*highlights, safe_harbor="Status.") -> AssessmentTexts:
    return AssessmentTexts(
        highlights=list(highlights),
        issue_summaries={"1": "Strong.", "2": "Weak."},
        extra_credit_summaries={},
        safe_harbor_status=safe_harbor,
        safe_harbor_summary="Summary.",
    )


def save(assessment, user, *highlights, reason=""):
    assessment.refresh_from_db()
    return services.assessment_texts_save(
        assessment_id=assessment.pk,
        user=user,
        expected_version=assessment.version,
        texts=texts(*highlights),
        change_reason=reason,
    )


def transition(service, assessment, user, **extra):
    assessment.refresh_from_db()
    return service(
        assessment_id=assessment.pk, user=user, expected_version=assessment.version, **extra
    )


@pytest.fixture
def ms(world):
    return world.assessments["MS"]


def test_texts_go_draft_submitted_approved_and_the_card_prints_the_approval(world, ms):
    users = world.users
    save(ms, users["analyst"], "Ranked well.")
    transition(services.assessment_texts_submit, ms, users["analyst"])
    approved = transition(services.assessment_texts_approve, ms, users["reviewer"])
    assert approved.texts_state == ReviewState.APPROVED
    approval = AssessmentTextsApproval.objects.get(assessment=ms)
    assert approval.version == approved.version and approval.approved_by == users["reviewer"]
    assert approval.document["highlights"] == ["Ranked well."]
    assert list(
        TextsReviewEvent.objects.filter(assessment=ms).values_list("action", "actor__username")
    ) == [("submit", "analyst"), ("approve", "reviewer")]

    # Editing approved texts needs a reason; the approved texts keep printing meanwhile.
    with pytest.raises(WorkflowError, match="change reason"):
        save(ms, users["analyst"], "Draft text.")
    draft = save(ms, users["analyst"], "Draft text.", reason="New figures")
    assert draft.texts_state == ReviewState.DRAFT
    world.approve_all("TN")
    for goal in world.goals:
        world.approve("MS", goal)
    cycle_recompute(cycle_id=world.cycle.id)
    assert report_card_data(ms).highlights == ("Ranked well.",)


def test_the_author_of_a_version_since_approval_cannot_approve_it(world, ms):
    admin = world.users["admin"]  # holds every role
    save(ms, admin, "Written by the admin.")
    transition(services.assessment_texts_submit, ms, admin)
    with pytest.raises(WorkflowError, match="four-eyes"):
        transition(services.assessment_texts_approve, ms, admin)
    transition(services.assessment_texts_approve, ms, world.users["reviewer"])


def test_approval_is_tied_to_the_version_seen(world, ms):
    save(ms, world.users["analyst"], "One.")
    transition(services.assessment_texts_submit, ms, world.users["analyst"])
    ms.refresh_from_db()
    with pytest.raises(EditConflict):
        services.assessment_texts_approve(
            assessment_id=ms.pk, user=world.users["reviewer"], expected_version=ms.version - 1
        )


def test_submitted_texts_cannot_be_edited_and_changes_need_a_comment(world, ms):
    save(ms, world.users["analyst"], "One.")
    transition(services.assessment_texts_submit, ms, world.users["analyst"])
    with pytest.raises(WorkflowError, match="waiting for review"):
        save(ms, world.users["analyst"], "Two.")
    with pytest.raises(WorkflowError, match="comment is required"):
        transition(
            services.assessment_texts_request_changes, ms, world.users["reviewer"], comment=" "
        )
    back = transition(
        services.assessment_texts_request_changes,
        ms,
        world.users["reviewer"],
        comment="Say the rank with {rank}.",
    )
    assert back.texts_state == ReviewState.DRAFT


def test_an_unknown_placeholder_is_refused_on_save_with_its_name(world, ms):
    with pytest.raises(WorkflowError, match=r"unknown placeholder \{rnak\}"):
        save(ms, world.users["analyst"], "Ranked {rnak} in the nation.")
    ms.refresh_from_db()
    assert ms.highlights == []


def test_the_reviewer_sees_a_word_diff_against_the_approved_texts(client, world, ms):
    world.approve_texts("MS")
    save(ms, world.users["analyst"], "Currently ranked {rank} in the nation.", reason="Rank")
    transition(services.assessment_texts_submit, ms, world.users["analyst"])
    client.force_login(world.users["reviewer"])
    queue = parsed(client.get("/assessments/review/"))
    assert "Review texts" in text(queue.select_one("#texts-queue"))
    page = parsed(client.get("/assessments/MS/2023/texts/"))
    changes = text(page.select_one("#texts-changes"))
    assert "Highlights" in changes and "Currently ranked {rank} in the nation." in changes
    assert "Approve texts version" in text(page.select_one("#texts-review"))
    ms.refresh_from_db()
    response = client.post(
        "/assessments/MS/2023/texts/approve/", {"version": ms.version}, follow=True
    )
    assert messages(response) == ["The state texts were approved."]
    ms.refresh_from_db()
    assert ms.texts_state == ReviewState.APPROVED


def test_a_new_cycle_starts_from_the_last_approved_texts_as_a_draft(world, ms):
    save(ms, world.users["analyst"], "Approved highlight.")
    transition(services.assessment_texts_submit, ms, world.users["analyst"])
    transition(services.assessment_texts_approve, ms, world.users["reviewer"])
    save(ms, world.users["analyst"], "Unreviewed draft.", reason="Draft")
    cycle_create_from_previous(year=2024, previous_year=2023, user=world.users["admin"])
    copied = Assessment.objects.get(jurisdiction__code="MS", cycle__year=2024)
    assert copied.highlights == ["Approved highlight."]
    assert (copied.texts_state, copied.texts_approved) == (ReviewState.DRAFT, None)
