"""The synthetic demo field: 50 labelled, made-up assessments that, with the real
Mississippi assessment, reproduce the published 2023 national picture.

Every national figure is computed here with assessments/scoring.py alone, through this
file's own small adapter, so the generator is not trusted to check itself.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assessments import scoring
from assessments.sample_data.synthetic import generate_synthetic_assessments

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK_FILE = ROOT / "assessments" / "data" / "framework_2023.yaml"
JURISDICTIONS_FILE = ROOT / "statutes" / "data" / "jurisdictions.yaml"
MISSISSIPPI_FILE = ROOT / "assessments" / "data" / "mississippi_2023.yaml"

# Mississippi 2023 as printed in the seed, for when the real sample file is not there yet.
MISSISSIPPI_FULLY_MET = {
    "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.1", "2.5", "2.7", "2.10",
    "3.2", "3.6", "4.5", "5.3", "5.4", "6.1", "6.3",
}  # fmt: skip
MISSISSIPPI_PARTIAL_POINTS = {
    "1.1": "1.00", "2.9": "2.00", "2.11": "2.00", "3.3": "2.00", "3.5": "2.00",
    "4.2": "1.50", "4.3": "1.50", "4.4": "1.50", "4.6": "1.50", "5.1": "1.50", "5.2": "1.50",
}  # fmt: skip
MISSISSIPPI_AWARDS = {
    "1.7": [("clt", "0.50")],
    "2.10": [("clt", "1.00")],
    "3.2": [("clt", "1.00")],
    "3.6": [("youth_18_plus", "1.00"), ("clt", "1.00")],
    "4.5": [("youth_18_plus", "1.00"), ("clt", "1.00")],
    "5.4": [("youth_18_plus", "1.00"), ("clt", "0.50")],
}


# Fixtures --------------------------------------------------------------------------------


def load_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def framework() -> dict:
    return load_yaml(FRAMEWORK_FILE)


@pytest.fixture(scope="module")
def jurisdictions() -> list[dict]:
    return load_yaml(JURISDICTIONS_FILE)


@pytest.fixture(scope="module")
def mississippi(framework) -> dict:
    if MISSISSIPPI_FILE.exists():
        return load_yaml(MISSISSIPPI_FILE)
    return fallback_mississippi(framework)


@pytest.fixture(scope="module")
def generated(framework, jurisdictions, mississippi) -> list[dict]:
    return generate_synthetic_assessments(framework, jurisdictions, mississippi)


@pytest.fixture(scope="module")
def field(generated, mississippi) -> list[dict]:
    """All 51 assessments of the 2023 cycle."""
    return [*generated, mississippi]


@pytest.fixture(scope="module")
def totals(field, framework) -> dict[str, Decimal]:
    return {row["jurisdiction"]: score(row, framework).total for row in field}


def fallback_mississippi(framework: dict) -> dict:
    determinations = []
    for number in goal_numbers(framework):
        if number in MISSISSIPPI_FULLY_MET:
            status, points = "fully_met", "2.50"
        elif number in MISSISSIPPI_PARTIAL_POINTS:
            status, points = "partially_met", MISSISSIPPI_PARTIAL_POINTS[number]
        else:
            status, points = "not_met", "0.00"
        awards = [
            {"category": category, "points": points, "explanation": ""}
            for category, points in MISSISSIPPI_AWARDS.get(number, [])
        ]
        determinations.append(
            {"goal": number, "status": status, "points": points, "extra_credit": awards}
        )
    return {"jurisdiction": "MS", "cycle": 2023, "determinations": determinations}


# Scoring, through assessments/scoring.py only --------------------------------------------


def goals_by_number(framework: dict) -> dict[str, dict]:
    return {
        str(goal["number"]): {**goal, "issue": area["number"]}
        for area in framework["issue_areas"]
        for goal in area["goals"]
    }


def goal_numbers(framework: dict) -> list[str]:
    return list(goals_by_number(framework))


def max_points(framework: dict) -> Decimal:
    return Decimal(str(framework["points_per_goal"]))


def as_decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def score(assessment: dict, framework: dict) -> scoring.AssessmentScore:
    goals = goals_by_number(framework)
    maximum = max_points(framework)
    goal_inputs = [
        scoring.GoalInput(
            row["goal"],
            goals[row["goal"]]["issue"],
            row["status"],
            as_decimal(row.get("points")),
            maximum,
        )
        for row in assessment["determinations"]
    ]
    award_inputs = [
        scoring.AwardInput(
            award["category"],
            Decimal(str(award["points"])),
            Decimal(str(goals[row["goal"]]["extra_credit"][award["category"]])),
        )
        for row in assessment["determinations"]
        for award in row.get("extra_credit", [])
    ]
    categories = [category["code"] for category in framework["extra_credit_categories"]]
    cap = Decimal(str(framework["extra_credit_cap"]))
    scale = scoring.GradingScale.from_rows(framework["grading_scale"])
    return scoring.score_assessment(goal_inputs, award_inputs, categories, cap, scale)


def texts_of(assessment: dict) -> list[str]:
    """Every prose text the generator wrote for one assessment."""
    texts = assessment["texts"]
    found = [
        *texts["highlights"],
        *texts["issue_summaries"].values(),
        *texts["extra_credit_summaries"].values(),
        texts["safe_harbor"],
        texts["safe_harbor_summary"],
        texts["historical_background"],
    ]
    for row in assessment["determinations"]:
        found.append(row["narrative"])
        found.extend(row["recommendations"])
        found.extend(award["explanation"] for award in row["extra_credit"])
    return [text for text in found if text]


# The generated assessments ---------------------------------------------------------------


def test_it_generates_the_50_jurisdictions_other_than_mississippi(generated, jurisdictions):
    codes = [row["jurisdiction"] for row in generated]
    assert len(codes) == 50
    assert len(set(codes)) == 50
    assert "MS" not in codes
    assert set(codes) == {row["code"] for row in jurisdictions} - {"MS"}


def test_it_marks_every_assessment_as_synthetic_seed_data_for_2023(generated):
    for row in generated:
        assert (row["synthetic"], row["author"], row["cycle"]) == (True, "seed", 2023)


def test_it_gives_every_assessment_all_40_goals_in_framework_order(generated, framework):
    for row in generated:
        assert [d["goal"] for d in row["determinations"]] == goal_numbers(framework)


def test_it_generates_the_same_assessments_on_every_run(framework, jurisdictions, mississippi):
    first = generate_synthetic_assessments(framework, jurisdictions, mississippi)
    second = generate_synthetic_assessments(framework, jurisdictions, mississippi)
    assert first == second


def test_it_does_not_depend_on_the_order_of_the_jurisdictions(
    generated, framework, jurisdictions, mississippi
):
    shuffled = list(reversed(copy.deepcopy(jurisdictions)))
    assert generate_synthetic_assessments(framework, shuffled, mississippi) == generated


def test_it_gives_every_goal_points_the_scoring_rules_accept(generated, framework):
    maximum = max_points(framework)
    fixed_points = {"fully_met": "2.50", "not_met": "0.00"}
    for row in generated:
        for goal in row["determinations"]:
            points = Decimal(goal["points"])
            assert scoring.goal_points_problem(goal["status"], points, maximum) is None
            assert goal["points"] == f"{points:.2f}"
            assert goal["points"] == fixed_points.get(goal["status"], goal["points"])
            assert goal["points_derived"] is False


def test_it_awards_extra_credit_only_within_an_opportunity(generated, framework):
    goals = goals_by_number(framework)
    for row in generated:
        for goal in row["determinations"]:
            offered = goals[goal["goal"]]["extra_credit"] or {}
            for award in goal["extra_credit"]:
                points = Decimal(award["points"])
                assert award["category"] in offered, (row["jurisdiction"], goal["goal"])
                assert scoring.award_problem(points, Decimal(offered[award["category"]])) is None
                assert points % scoring.POINT_STEP == 0


def test_it_keeps_extra_credit_within_the_cap(generated, framework):
    cap = Decimal(str(framework["extra_credit_cap"]))
    for row in generated:
        credit = score(row, framework).extra_credit
        assert sum(credit.by_category.values()) <= cap


def test_it_recommends_one_fix_for_every_goal_not_fully_met(generated):
    for row in generated:
        for goal in row["determinations"]:
            expected = 0 if goal["status"] == "fully_met" else 1
            assert len(goal["recommendations"]) == expected, (row["jurisdiction"], goal["goal"])


def test_it_labels_every_text_as_synthetic(generated):
    for row in generated:
        texts = texts_of(row)
        assert texts
        for text in texts:
            assert "synthetic demo" in text.lower(), text


def test_it_writes_highlights_and_a_summary_for_every_issue_area(generated, framework):
    issue_numbers = {str(area["number"]) for area in framework["issue_areas"]}
    for row in generated:
        assert row["texts"]["highlights"]
        assert set(row["texts"]["issue_summaries"]) == issue_numbers
        assert row["texts"]["safe_harbor"] and row["texts"]["safe_harbor_summary"]


def test_it_cites_no_real_statutes(generated):
    for row in generated:
        assert row["statutes"] == [] and row["appropriations"] == [] and row["pic_scores"] == []
        assert all(goal["citations"] == [] for goal in row["determinations"])
        assert not any("§" in text for text in texts_of(row))


# Mississippi, the one real assessment ----------------------------------------------------


def test_it_scores_mississippi_as_printed(mississippi, framework):
    result = score(mississippi, framework)
    assert [issue.score for issue in result.issues] == [
        Decimal(points) for points in ("16", "14", "9", "8.5", "8", "5")
    ]
    assert result.extra_credit.by_category == {
        "youth_18_plus": Decimal("3"),
        "clt": Decimal("5"),
    }
    assert result.total == Decimal("68.5")


# The national picture of 2023 ------------------------------------------------------------


def grade(total: Decimal) -> str:
    """On the 2023 framework's scale, out of its 100 base points."""
    scale = yaml.safe_load(FRAMEWORK_FILE.read_text(encoding="utf-8"))["grading_scale"]
    return scoring.grade(total, Decimal("100"), scoring.GradingScale.from_rows(scale))


def test_it_makes_tennessee_the_only_a(totals):
    assert [code for code, total in totals.items() if grade(total) == "A"] == ["TN"]


def test_it_grades_florida_b_and_minnesota_california_and_washington_c(totals):
    assert grade(totals["FL"]) == "B"
    assert [grade(totals[code]) for code in ("MN", "CA", "WA")] == ["C", "C", "C"]


def test_it_fails_exactly_32_jurisdictions(totals):
    assert sum(1 for total in totals.values() if grade(total) == "F") == 32


def test_it_averages_57_9_nationally(totals):
    average = sum(totals.values()) / len(totals)
    assert len(totals) == 51
    assert abs(average - Decimal("57.9")) <= Decimal("0.1")


def test_it_ranks_mississippi_10th_tied_in_tier_1(totals):
    assert scoring.standings(totals, scoring.TierSizes(top=10, bottom=10))[
        "MS"
    ] == scoring.Standing(rank=10, tied=True, tier=1)
    assert sum(1 for total in totals.values() if total > totals["MS"]) == 9
    assert sum(1 for total in totals.values() if total == Decimal("68.5")) >= 2


def test_it_has_3_2_fully_met_in_8_jurisdictions_and_2_5_in_30(field):
    counts = scoring.fully_met_counts(
        (goal["goal"], goal["status"]) for row in field for goal in row["determinations"]
    )
    assert counts["3.2"] == 8
    assert counts["2.5"] == 30


def test_it_spreads_the_totals_plausibly(totals):
    values = sorted(totals.values())
    assert values[0] >= 20
    assert sum(1 for total in values if total < 30) <= 2
    assert any(30 <= total < 40 for total in values)
    assert sum(1 for total in values if 40 <= total < 50) >= 3
    assert len(set(values)) >= 40


def test_it_gives_no_two_jurisdictions_the_same_profile(generated):
    profiles = {tuple(goal["points"] for goal in row["determinations"]) for row in generated}
    assert len(profiles) == len(generated)
