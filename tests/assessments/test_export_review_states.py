"""export_assessment writes each goal's last approved version and its newer draft, marked
with their review states and versions; import restores both, and replacing an assessment
by import keeps every earlier review event and history record."""

import json

import pytest

from assessments.importing import assessment_export, assessment_import
from assessments.models import GoalDetermination, ReviewEvent
from tests.factories import reviewed_goal, save_as

pytestmark = pytest.mark.django_db

DRAFT = "A correction in progress, not reviewed yet."


@pytest.fixture
def corrected(world):
    """Goal 1.2 approved (partially met, 2 points), then edited by the analyst: a draft
    waits for review while the approved version counts."""
    goal = reviewed_goal(world)
    save_as(
        world.users["analyst"],
        goal,
        reason="Re-read the statute",
        status="fully_met",
        points=None,
        narrative=DRAFT,
    )
    return goal


def entry(document, number):
    return next(row for row in document["determinations"] if row["goal"] == number)


def test_it_exports_the_approved_version_and_its_draft_each_with_state_and_version(
    world, corrected
):
    document = assessment_export(assessment=world.assessments["MS"])
    goal = entry(document, "1.2")
    assert (goal["review_state"], goal["version"], goal["status"], goal["points"]) == (
        "approved",
        corrected.version,
        "partially_met",
        "2.00",
    )
    assert goal["narrative"] == corrected.narrative != DRAFT
    draft = goal["draft"]
    assert (draft["review_state"], draft["version"], draft["status"]) == (
        "draft",
        corrected.version + 1,
        "fully_met",
    )
    assert draft["narrative"] == DRAFT
    never_approved = entry(document, "1.1")
    assert (never_approved["review_state"], never_approved["draft"]) == ("draft", None)


def test_it_round_trips_review_states_byte_for_byte(round_trip, world, corrected):
    before, after = round_trip()
    assert after == before
    goal = world.determination("MS", "1.2")
    assert (goal.review_state, goal.version, goal.narrative) == (
        "draft",
        corrected.version + 1,
        DRAFT,
    )
    assert (goal.approved.version, goal.approved.status) == (corrected.version, "partially_met")
    assert goal.approved.document["narrative"] == corrected.narrative


def test_it_imports_goals_without_a_state_as_approved(world, corrected):
    document = assessment_export(assessment=world.assessments["MS"])
    for row in document["determinations"]:
        for key in ("review_state", "version", "draft"):
            row.pop(key)
    assessment_import(data=document, username="admin")
    goals = GoalDetermination.objects.filter(assessment=world.assessments["MS"])
    assert {(g.goal.number, g.review_state, g.approved.version == g.version) for g in goals} == {
        ("1.1", "approved", True),
        ("1.2", "approved", True),
        ("2.1", "approved", True),
    }
    # The approved content of 1.2 is what the file said, not the earlier draft.
    assert world.determination("MS", "1.2").approved.document["narrative"] != DRAFT


def test_it_refuses_a_draft_beside_a_version_that_is_not_approved(world, corrected):
    document = assessment_export(assessment=world.assessments["MS"])
    entry(document, "1.2")["review_state"] = "submitted"
    with pytest.raises(Exception, match="only an approved version can have a newer draft"):
        assessment_import(data=document, username="admin")


def test_replacing_by_import_is_a_recorded_change_that_keeps_the_audit_trail(world, corrected):
    goal = world.determination("MS", "1.2")
    events_before = list(ReviewEvent.objects.filter(determination=goal).values_list("pk"))
    history_before = set(goal.history.values_list("history_id", flat=True))
    citations_before = set(goal.citations.values_list("pk", flat=True))
    assert citations_before
    document = assessment_export(assessment=world.assessments["MS"])
    entry(document, "1.2")["draft"]["narrative"] = "Corrected again, by file."
    del entry(document, "1.2")["draft"]["version"]

    assessment_import(data=document, username="admin", reason="Moved from staging")

    replaced = world.determination("MS", "1.2")
    assert replaced.pk == goal.pk
    events_after = list(ReviewEvent.objects.filter(determination=goal).values_list("pk"))
    assert events_after[: len(events_before)] == events_before
    assert len(events_after) == len(events_before) + 1  # the import's approval
    history_after = set(replaced.history.values_list("history_id", flat=True))
    assert history_before < history_after
    latest = replaced.history.select_related("history_user").first()
    assert latest.history_change_reason == "Imported from file: Moved from staging"
    assert latest.history_user.username == "admin"
    assert (replaced.version, replaced.narrative) == (goal.version + 1, "Corrected again, by file.")
    # The replaced citations' deletions are recorded with the same user and reason.
    deleted = replaced.citations.model.history.filter(id__in=citations_before, history_type="-")
    assert {(r.history_user.username, r.history_change_reason) for r in deleted} == {
        ("admin", "Imported from file: Moved from staging")
    }
    # The timeline of the goal still begins with its first version.
    assert replaced.history.order_by("history_id").first().history_id == min(history_before)


def test_the_exported_document_is_valid_json_with_every_goal(world, corrected):
    document = assessment_export(assessment=world.assessments["MS"])
    assert [row["goal"] for row in json.loads(json.dumps(document))["determinations"]] == [
        "1.1",
        "1.2",
        "2.1",
    ]


def test_a_goal_the_file_gives_as_never_approved_stops_counting_its_old_approval(world, corrected):
    document = assessment_export(assessment=world.assessments["MS"])
    goal = entry(document, "1.2")
    goal.update(goal["draft"])  # the draft alone, as a file from elsewhere may give it
    assert goal["review_state"] == "draft"
    assessment_import(data=document, username="admin")
    replaced = world.determination("MS", "1.2")
    assert (replaced.review_state, replaced.approved) == ("draft", None)
    assert entry(assessment_export(assessment=world.assessments["MS"]), "1.2") == goal
