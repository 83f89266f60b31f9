"""Per-row invariants: clean() explains bad values, constraints stop them in the database."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from assessments.importing import assessment_export, assessment_import
from assessments.models import (
    Assessment,
    Citation,
    Cycle,
    ExtraCreditAward,
    ExtraCreditCategory,
    GoalDetermination,
    ScoreSnapshot,
)
from assessments.recompute import cycle_recompute
from statutes.models import Jurisdiction, Statute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


@pytest.fixture
def determination():
    return GoalDetermination.objects.select_related("goal", "assessment").get(
        assessment__jurisdiction__code="MS", assessment__cycle__year=2023, goal__number="1.1"
    )


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


def test_it_refuses_a_citation_of_another_states_statute(determination):
    tennessee_statute = Statute.objects.create(
        jurisdiction=Jurisdiction.objects.get(code="TN"), citation="Tenn. Code Ann. § 39-13-309"
    )
    citation = Citation(determination=determination, statute=tennessee_statute)
    with pytest.raises(ValidationError, match="statute of the assessed jurisdiction"):
        citation.full_clean()


def test_it_refuses_extra_credit_a_goal_does_not_offer(determination):
    goal_12 = GoalDetermination.objects.get(assessment=determination.assessment, goal__number="1.2")
    youth = ExtraCreditCategory.objects.get(code="youth_18_plus")
    award = ExtraCreditAward(determination=goal_12, category=youth, points=D("1"))
    with pytest.raises(ValidationError, match="offers no 18\\+ Youth extra credit"):
        award.full_clean()


def test_it_refuses_extra_credit_above_its_opportunity(determination):
    clt = ExtraCreditCategory.objects.get(code="clt")
    award = ExtraCreditAward(determination=determination, category=clt, points=D("1.5"))
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


def test_it_records_history_with_user_and_reason(determination):
    record = determination.history.first()
    assert record.history_user.username == "admin"
    assert record.history_change_reason == "Imported from file"


def test_it_reports_the_change_since_the_previous_cycle(cycle):
    next_cycle = Cycle.objects.create(
        year=2024,
        framework=cycle.framework,
        legislative_cutoff=datetime.date(2024, 7, 1),
        previous=cycle,
    )
    document = assessment_export(
        assessment=Assessment.objects.get(jurisdiction__code="MS", cycle=cycle)
    )
    document["cycle"] = 2024
    goal_11 = next(row for row in document["determinations"] if row["goal"] == "1.1")
    goal_11["points"] = "1.50"
    assessment_import(data=document, username="admin")
    cycle_recompute(cycle_id=next_cycle.id)
    snapshot = ScoreSnapshot.objects.get(cycle=next_cycle, jurisdiction__code="MS")
    assert snapshot.total == D("69") and snapshot.change == D("0.5")
    assert snapshot.rank == 1  # the only jurisdiction assessed in 2024 so far
