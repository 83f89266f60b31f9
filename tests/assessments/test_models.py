"""Per-row invariants: clean() explains bad values, constraints stop them in the database.

The rows are the small world's (tests/factories.py): goal 1.1 offers up to 1 point of
child-labor-trafficking (CLT) extra credit, goal 1.2 offers none.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from assessments.importing import IMPORT_REASON, assessment_export, assessment_import
from assessments.models import (
    Citation,
    Cycle,
    ExtraCreditAward,
    GoalDetermination,
    ScoreSnapshot,
)
from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from tests.factories import StatuteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def determination(world):
    return world.determination("MS", "1.1")


def imported_2024(world, **goal_11):
    """Mississippi's 2023 assessment exported and imported as 2024 by admin, with
    `goal_11` changed in goal 1.1."""
    cycle = Cycle.objects.create(
        year=2024,
        framework=world.framework,
        legislative_cutoff=datetime.date(2024, 7, 1),
        previous=world.cycle,
    )
    document = assessment_export(assessment=world.assessments["MS"])
    document["cycle"] = 2024
    next(row for row in document["determinations"] if row["goal"] == "1.1").update(goal_11)
    assessment_import(data=document, username="admin")
    return cycle


@pytest.mark.parametrize(
    ("status", "points", "message"),
    [
        ("partially_met", "1.10", "steps of 0.25"),
        ("partially_met", "2.50", "less than 2.5"),
        ("fully_met", "1.00", "maximum of 2.5"),
        ("not_met", "1.00", "scores 0 points"),
    ],
)
def test_it_explains_invalid_points_on_a_determination(determination, status, points, message):
    determination.status, determination.points = status, D(points)
    with pytest.raises(ValidationError, match=message):
        determination.full_clean()


def test_it_refuses_a_citation_of_another_states_statute(world, determination):
    tennessee_statute = StatuteFactory(jurisdiction=world.jurisdictions["TN"])
    citation = Citation(determination=determination, statute=tennessee_statute)
    with pytest.raises(ValidationError, match="statute of the assessed jurisdiction"):
        citation.full_clean()


def test_it_refuses_extra_credit_a_goal_does_not_offer(world):
    goal_12 = world.determination("MS", "1.2")
    award = ExtraCreditAward(determination=goal_12, category=world.clt, points=D("1"))
    with pytest.raises(ValidationError, match="offers no CLT extra credit"):
        award.full_clean()


def test_it_refuses_extra_credit_above_its_opportunity(world, determination):
    award = ExtraCreditAward(determination=determination, category=world.clt, points=D("1.5"))
    with pytest.raises(ValidationError, match="at most 1 points"):
        award.full_clean()


def test_it_keeps_one_determination_per_goal_in_the_database(determination):
    with pytest.raises(IntegrityError):
        GoalDetermination.objects.create(
            assessment=determination.assessment, goal=determination.goal
        )


def test_it_keeps_negative_points_out_of_the_database(determination):
    with pytest.raises(IntegrityError):
        GoalDetermination.objects.filter(pk=determination.pk).update(points=D("-1"))


def test_it_records_history_with_user_and_reason(world):
    imported_2024(world)
    record = GoalDetermination.history.filter(
        assessment__cycle__year=2024, goal__number="1.1"
    ).get()
    assert record.history_user.username == "admin"
    assert record.history_change_reason == IMPORT_REASON


def test_it_reports_the_change_since_the_previous_cycle(world):
    world.approve("MS", "1.1", Status.PARTIALLY_MET, D("1"))
    world.approve("MS", "1.2")
    cycle_recompute(cycle_id=world.cycle.id)
    cycle_2024 = imported_2024(world, points="1.50")
    cycle_recompute(cycle_id=cycle_2024.id)
    snapshot = ScoreSnapshot.objects.get(cycle=cycle_2024, jurisdiction__code="MS")
    assert snapshot.total == D("4") and snapshot.change == D("0.5")
    assert snapshot.rank == 1  # the only jurisdiction assessed in 2024 so far
