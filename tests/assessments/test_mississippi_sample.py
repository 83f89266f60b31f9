"""Mississippi 2023 comes out of the database exactly as the published report card prints it.

The numbers are read back through the same commands and recompute service users rely on,
not from constants of the loader.
"""

import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import (
    Assessment,
    CycleScoreState,
    Framework,
    GoalDetermination,
    ScoreSnapshot,
)
from assessments.recompute import assessment_score, cycle_recompute
from assessments.sample_data.loader import FRAMEWORK_FILE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


def run_json(*args):
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_mississippi_2023_as_published():
    result = run_json("score_state", "MS", "2023")
    issues = [(i["number"], D(i["score"]), D(i["max"]), i["grade"]) for i in result["issues"]]
    assert issues == [
        (1, D("16"), D("17.5"), "A"),
        (2, D("14"), D("27.5"), "F"),
        (3, D("9"), D("15"), "D"),
        (4, D("8.5"), D("15"), "F"),
        (5, D("8"), D("10"), "B"),
        (6, D("5"), D("15"), "F"),
    ]
    credit = {key: D(value) for key, value in result["extra_credit"].items()}
    assert credit == {"youth_18_plus": D("3"), "clt": D("5"), "total": D("8")}
    assert D(result["base"]) == D("60.5")
    assert D(result["total"]) == D("68.5")
    assert (result["grade"], result["rank"], result["tied"], result["tier"]) == ("D", 10, True, 1)
    assert (result["jurisdiction"], result["cycle"]) == ("MS", 2023)


def test_it_prints_numbers_as_strings_of_decimals():
    result = run_json("score_state", "MS", "2023")
    assert all(isinstance(result[key], str) for key in ("base", "total"))
    assert all(isinstance(issue["score"], str) for issue in result["issues"])


def test_it_ranks_all_51_jurisdictions_with_the_published_national_picture():
    rows = run_json("ranking", "2023")
    assert len(rows) == 51
    by_code = {row["jurisdiction"]: row for row in rows}
    grades = [row["grade"] for row in rows]
    assert [code for code, row in by_code.items() if row["grade"] == "A"] == ["TN"]
    assert by_code["FL"]["grade"] == "B"
    assert {by_code[c]["grade"] for c in ("MN", "CA", "WA")} == {"C"}
    assert grades.count("F") == 32
    average = sum(D(row["total"]) for row in rows) / 51
    assert abs(average - D("57.9")) <= D("0.1")
    assert sum(1 for row in rows if row["tier"] == 1) >= 10
    assert sum(1 for row in rows if row["tier"] == 3) == 10


def test_it_counts_goals_fully_met_nationally_as_the_seed_says(cycle):
    cycle_recompute(cycle_id=cycle.id)
    counts = CycleScoreState.objects.get(cycle=cycle).fully_met_counts
    assert counts["3.2"] == 8  # “One of only 8 states to require a specialized MDT response”
    assert counts["2.5"] == 30  # “One of 30 states that statutorily prohibit ...”


def test_it_loads_all_40_mississippi_determinations_approved_with_their_content():
    ms = Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023)
    determinations = ms.determinations.select_related("goal")
    assert determinations.count() == 40
    assert set(determinations.values_list("review_state", flat=True)) == {"approved"}
    goal = determinations.get(goal__number="1.1")
    assert goal.status == "partially_met" and goal.points_derived
    assert goal.citations.filter(statute__citation="Miss. Code Ann. § 97-3-54.1").exists()
    assert goal.recommendations.count() == 1
    assert not ms.synthetic


def test_it_labels_every_other_assessment_as_synthetic():
    synthetic = Assessment.objects.filter(cycle__year=2023, synthetic=True)
    assert synthetic.count() == 50
    assert not synthetic.filter(jurisdiction__code="MS").exists()


def test_it_scores_drafts_only_provisionally(cycle):
    ms = Assessment.objects.get(jurisdiction__code="MS", cycle=cycle)
    GoalDetermination.objects.filter(assessment=ms, goal__number="1.2").update(
        review_state="draft", approved=None
    )
    assert assessment_score(ms, include_drafts=True).total == D("68.5")
    assert assessment_score(ms, include_drafts=False).total == D("66")
    cycle_recompute(cycle_id=cycle.id)
    snapshot = ScoreSnapshot.objects.get(cycle=cycle, jurisdiction__code="MS")
    assert snapshot.total == D("66") and snapshot.approved_goals == 39


def test_it_loads_sample_data_again_without_changing_anything():
    before = ScoreSnapshot.objects.filter(cycle__year=2023).values_list("jurisdiction", "total")
    before = sorted(before)
    counts = (Assessment.objects.count(), GoalDetermination.objects.count())
    call_command("load_sample_data", stdout=StringIO())
    after = sorted(
        ScoreSnapshot.objects.filter(cycle__year=2023).values_list("jurisdiction", "total")
    )
    assert after == before
    assert (Assessment.objects.count(), GoalDetermination.objects.count()) == counts


def test_the_sample_loader_loads_the_framework_as_load_framework_does(cycle):
    """Same file, same code: loading the sample's framework file again changes nothing."""
    out = StringIO()
    call_command("load_framework", str(FRAMEWORK_FILE), stdout=out)
    assert f"same content as {cycle.framework} (loaded before)" in out.getvalue()
    assert list(Framework.objects.all()) == [cycle.framework]
    assert str(cycle.legislative_cutoff) == "2023-07-01"
