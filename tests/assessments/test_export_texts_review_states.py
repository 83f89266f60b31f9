"""export_assessment writes the state texts' last approved version and their newer draft,
each marked with its review state and version; import restores both, texts without a state
import as approved, and replacing an assessment by import keeps the texts' review events
and history."""

import pytest

from assessments import services
from assessments.importing import ImportRejected, assessment_export, assessment_import
from assessments.models import Assessment, ReviewState, TextsReviewEvent
from assessments.texts import printed_texts
from tests.factories import approve_texts_as_they_are

pytestmark = pytest.mark.django_db

APPROVED = "Ranked 10th in the nation."
DRAFT = "Ranked 8th in the nation, not reviewed yet."


def save_texts(assessment, user, highlight, reason, footnote=""):
    # The analysis footnote is part of the texts unit but not of the texts form.
    Assessment.objects.filter(pk=assessment.pk).update(analysis_footnote=footnote)
    assessment.refresh_from_db()
    return services.assessment_texts_save(
        assessment_id=assessment.pk,
        user=user,
        expected_version=assessment.version,
        texts=services.AssessmentTexts(
            highlights=[highlight],
            issue_summaries={"1": "Strong."},
            extra_credit_summaries={},
            safe_harbor_status="Status.",
            safe_harbor_summary="Summary.",
        ),
        change_reason=reason,
    )


@pytest.fixture
def corrected(world):
    """MS texts approved, then edited by the analyst: a draft waits for review while the
    approved texts are printed."""
    ms = world.assessments["MS"]
    save_texts(ms, world.users["analyst"], APPROVED, "", footnote="Approved footnote.")
    approved = approve_texts_as_they_are(ms, world.users["reviewer"])
    save_texts(ms, world.users["analyst"], DRAFT, "New rank", footnote="Draft footnote.")
    ms.refresh_from_db()
    assert (ms.texts_state, ms.version) == (ReviewState.DRAFT, approved.version + 1)
    return approved


def test_it_exports_the_approved_texts_and_their_draft_each_with_state_and_version(
    world, corrected
):
    document = assessment_export(assessment=world.assessments["MS"])
    texts = document["texts"]
    assert (texts["review_state"], texts["version"], texts["highlights"]) == (
        "approved",
        corrected.version,
        [APPROVED],
    )
    assert document["analysis_intro_footnote"]["text"] == "Approved footnote."
    draft = texts["draft"]
    assert (draft["review_state"], draft["version"], draft["highlights"]) == (
        "draft",
        corrected.version + 1,
        [DRAFT],
    )
    assert draft["analysis_intro_footnote"]["text"] == "Draft footnote."


def test_texts_never_approved_export_as_their_working_version(world):
    ms = world.assessments["MS"]
    save_texts(ms, world.users["analyst"], DRAFT, "")
    texts = assessment_export(assessment=ms)["texts"]
    assert (texts["review_state"], texts["highlights"], texts["draft"]) == ("draft", [DRAFT], None)


def test_it_round_trips_the_texts_review_states_byte_for_byte(round_trip, world, corrected):
    before, after = round_trip()
    assert after == before
    ms = Assessment.objects.get(pk=corrected.pk)
    # The draft stays a draft: it is not printed, the approved texts are.
    assert (ms.texts_state, ms.version, ms.highlights) == ("draft", corrected.version + 1, [DRAFT])
    assert ms.analysis_footnote == "Draft footnote."
    assert (ms.texts_approved.version, printed_texts(ms)["highlights"]) == (
        corrected.version,
        [APPROVED],
    )
    assert printed_texts(ms)["analysis_footnote"] == "Approved footnote."


def test_submitted_texts_stay_submitted_through_export_and_import(world, corrected):
    ms = world.assessments["MS"]
    ms.refresh_from_db()
    services.assessment_texts_submit(
        assessment_id=ms.pk, user=world.users["analyst"], expected_version=ms.version
    )
    document = assessment_export(assessment=ms)
    assessment_import(data=document, username="admin")
    ms.refresh_from_db()
    assert (ms.texts_state, ms.texts_approved.version) == ("submitted", corrected.version)
    assert assessment_export(assessment=ms) == document


def test_texts_without_a_state_import_as_approved(world, corrected):
    document = assessment_export(assessment=world.assessments["MS"])
    for key in ("review_state", "version", "draft"):
        document["texts"].pop(key)
    document["texts"]["highlights"] = ["From a file without states."]
    assessment_import(data=document, username="admin")
    ms = Assessment.objects.get(pk=corrected.pk)
    assert ms.texts_state == "approved"
    assert ms.texts_approved.version == ms.version
    assert printed_texts(ms)["highlights"] == ["From a file without states."]


def test_texts_the_file_gives_as_a_draft_stop_counting_their_old_approval(world, corrected):
    document = assessment_export(assessment=world.assessments["MS"])
    texts = document["texts"]
    texts.update(texts.pop("draft"))  # the draft alone, as a file from elsewhere may give it
    document["analysis_intro_footnote"] = texts.pop("analysis_intro_footnote")
    assessment_import(data=document, username="admin")
    ms = Assessment.objects.get(pk=corrected.pk)
    assert (ms.texts_state, ms.texts_approved) == ("draft", None)
    assert assessment_export(assessment=ms)["texts"] == {**texts, "draft": None}


def test_it_refuses_a_texts_draft_beside_texts_that_are_not_approved(world, corrected):
    document = assessment_export(assessment=world.assessments["MS"])
    document["texts"]["review_state"] = "submitted"
    with pytest.raises(ImportRejected, match="only an approved version can have a newer draft"):
        assessment_import(data=document, username="admin")
    ms = Assessment.objects.get(pk=corrected.pk)
    assert (ms.texts_state, ms.highlights) == ("draft", [DRAFT])


def test_it_refuses_state_texts_outside_the_narrative_format_or_with_unknown_placeholders(
    world, corrected
):
    document = assessment_export(assessment=world.assessments["MS"])
    document["texts"]["highlights"] = ["<b>Ranked</b> first."]
    document["texts"]["draft"]["safe_harbor_summary"] = "Ranked {ranking} in the nation."
    with pytest.raises(ImportRejected) as refused:
        assessment_import(data=document, username="admin")
    problems = "\n".join(refused.value.problems)
    assert "texts: the highlight 1 uses what the narrative format does not support" in problems
    assert "draft texts: the Safe Harbor summary" in problems and "{ranking}" in problems
    ms = Assessment.objects.get(pk=corrected.pk)
    assert (ms.texts_state, ms.highlights) == ("draft", [DRAFT])


def test_replacing_by_import_keeps_the_texts_review_events_and_history(world, corrected):
    ms = world.assessments["MS"]
    events_before = list(TextsReviewEvent.objects.filter(assessment=ms).values_list("pk"))
    assert events_before
    history_before = set(ms.history.values_list("history_id", flat=True))
    document = assessment_export(assessment=ms)
    document["texts"]["draft"]["highlights"] = ["Corrected again, by file."]

    assessment_import(data=document, username="admin", reason="Moved from staging")

    events_after = list(TextsReviewEvent.objects.filter(assessment=ms).values_list("pk"))
    assert events_after[: len(events_before)] == events_before
    assert len(events_after) == len(events_before) + 1  # the import's approval
    ms.refresh_from_db()
    assert history_before < set(ms.history.values_list("history_id", flat=True))
    latest = ms.history.select_related("history_user").first()
    assert (latest.history_user.username, latest.history_change_reason) == (
        "admin",
        "Imported from file: Moved from staging",
    )
    assert (latest.highlights, latest.texts_state) == (["Corrected again, by file."], "draft")


def test_the_cycle_export_carries_the_approved_texts_never_their_draft(world, corrected):
    document = assessment_export(assessment=world.assessments["MS"], approved_only=True)
    texts = document["texts"]
    assert (texts["review_state"], texts["version"], texts["draft"]) == (
        "approved",
        corrected.version,
        None,
    )
    assert texts["highlights"] == [APPROVED]
    assert document["analysis_intro_footnote"]["text"] == "Approved footnote."
    assert DRAFT not in str(document) and "Draft footnote." not in str(document)
