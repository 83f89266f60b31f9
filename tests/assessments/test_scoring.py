"""The scoring rules of DESIGN.md §4, boundaries included, without a database."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import scoring
from assessments.scoring import AwardInput, GoalInput, Status

MAX = D("2.5")
# The 2023 framework's rules, as its file gives them (assessments/data/framework_2023.yaml).
SCALE = scoring.GradingScale(
    (("A", D("90")), ("B", D("80")), ("C", D("70")), ("D", D("60")), ("F", D("0")))
)
TIERS = scoring.TierSizes(top=10, bottom=10)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (D("110"), "A"),
        (D("90"), "A"),
        (D("89.75"), "B"),
        (D("80"), "B"),
        (D("79.75"), "C"),
        (D("70"), "C"),
        (D("69.75"), "D"),
        (D("68.5"), "D"),
        (D("60"), "D"),
        (D("59.75"), "F"),
        (D("0"), "F"),
    ],
)
def test_it_grades_totals_at_the_thresholds(score, expected):
    assert scoring.grade(score, D("100"), SCALE) == expected


@pytest.mark.parametrize(
    ("score", "maximum", "expected"),
    [
        (D("16"), D("17.5"), "A"),  # 91.4 %
        (D("15.75"), D("17.5"), "A"),  # exactly 90 %
        (D("15.5"), D("17.5"), "B"),  # 88.6 %
        (D("14"), D("27.5"), "F"),
        (D("9"), D("15"), "D"),  # exactly 60 %
        (D("8.5"), D("15"), "F"),
        (D("8"), D("10"), "B"),  # exactly 80 %
        (D("5"), D("15"), "F"),
        (D("10.5"), D("15"), "C"),  # exactly 70 %
    ],
)
def test_it_grades_issues_by_percentage_of_their_maximum(score, maximum, expected):
    assert scoring.grade(score, maximum, SCALE) == expected


def test_it_gives_fully_met_the_goal_maximum_and_not_met_zero():
    assert scoring.goal_points("fully_met", None, MAX) == MAX
    assert scoring.goal_points("fully_met", D("2.5"), MAX) == MAX
    assert scoring.goal_points("not_met", None, MAX) == 0
    assert scoring.goal_points("not_met", D("0"), MAX) == 0


@pytest.mark.parametrize("points", ["0.25", "1", "1.5", "2.25"])
def test_it_accepts_partial_credit_strictly_inside_the_range_in_quarter_steps(points):
    assert scoring.goal_points("partially_met", D(points), MAX) == D(points)


@pytest.mark.parametrize(
    ("status", "points", "words"),
    [
        ("partially_met", None, "needs points"),
        ("partially_met", "0", "more than 0"),
        ("partially_met", "2.5", "less than 2.5"),
        ("partially_met", "3", "less than 2.5"),
        ("partially_met", "-1", "more than 0"),
        ("partially_met", "1.1", "steps of 0.25"),
        ("partially_met", "0.3", "steps of 0.25"),
        ("fully_met", "2", "maximum of 2.5"),
        ("fully_met", "0", "maximum of 2.5"),
        ("not_met", "0.25", "scores 0 points"),
        ("not_met", "2.5", "scores 0 points"),
        ("mostly_met", "1", "not a status"),
    ],
)
def test_it_refuses_invalid_points_for_each_status_in_plain_words(status, points, words):
    value = None if points is None else D(points)
    with pytest.raises(scoring.ScoringError, match=words):
        scoring.goal_points(status, value, MAX)


def goals_of_issue(issue, statuses):
    return [
        GoalInput(f"{issue}.{n}", issue, status, points, MAX)
        for n, (status, points) in enumerate(statuses, start=1)
    ]


def test_it_sums_issue_scores_and_maxima_from_the_goals():
    goals = goals_of_issue(1, [("fully_met", None), ("partially_met", D("1")), ("not_met", None)])
    goals += goals_of_issue(2, [("fully_met", None)] * 4)
    issues = scoring.issue_scores(goals, SCALE)
    assert [(i.number, i.score, i.max, i.grade) for i in issues] == [
        (1, D("3.5"), D("7.5"), "F"),
        (2, D("10"), D("10"), "A"),
    ]


def award(category, points, max_points="1"):
    return AwardInput(category, D(points), D(max_points))


def test_it_sums_extra_credit_per_category_and_caps_only_the_total_at_ten():
    awards = [award("clt", "1")] * 7 + [award("youth_18_plus", "1")] * 5
    credit = scoring.extra_credit(awards, ["youth_18_plus", "clt"], D("10"))
    assert credit.by_category == {"youth_18_plus": D("5"), "clt": D("7")}
    assert credit.total == D("10")


def test_it_keeps_extra_credit_below_the_cap_as_is():
    credit = scoring.extra_credit([award("clt", "0.5"), award("clt", "1")], ["clt"], D("10"))
    assert credit.total == D("1.5")


def test_it_reaches_the_cap_exactly_at_ten():
    credit = scoring.extra_credit([award("clt", "1")] * 10, ["clt"], D("10"))
    assert credit.total == D("10")


@pytest.mark.parametrize(("points", "max_points"), [("0", "1"), ("-0.5", "1"), ("1.25", "1")])
def test_it_refuses_extra_credit_outside_its_opportunity(points, max_points):
    with pytest.raises(scoring.ScoringError, match="extra-credit award"):
        scoring.extra_credit([award("clt", points, max_points)], ["clt"], D("10"))


def test_it_totals_issue_scores_plus_capped_extra_credit_and_grades_the_total():
    goals = goals_of_issue(1, [("fully_met", None)] * 36)
    awards = [award("clt", "1")] * 12
    result = scoring.score_assessment(goals, awards, ["clt"], D("10"), SCALE)
    assert (result.base, result.extra_credit.total, result.total, result.grade) == (
        D("90"),
        D("10"),
        D("100"),
        "A",
    )


def test_it_ranks_with_ties_sharing_the_rank():
    standing = scoring.standings({"A": D("90"), "B": D("80"), "C": D("80"), "D": D("70")}, TIERS)
    assert [(k, s.rank, s.tied) for k, s in standing.items()] == [
        ("A", 1, False),
        ("B", 2, True),
        ("C", 2, True),
        ("D", 4, False),
    ]


def fifty_one_with_tie_at_tenth():
    """Nine clear leaders, two tied 10th, then 40 more below."""
    totals = {f"T{i}": D(100 - i) for i in range(1, 10)}
    totals["X"] = totals["Y"] = D("68.5")
    totals.update({f"L{i}": D(60 - i) for i in range(1, 41)})
    return totals


def test_it_keeps_every_jurisdiction_tied_at_tenth_in_tier_one():
    standing = scoring.standings(fifty_one_with_tie_at_tenth(), TIERS)
    assert standing["X"] == scoring.Standing(rank=10, tied=True, tier=1)
    assert standing["Y"] == scoring.Standing(rank=10, tied=True, tier=1)
    assert standing["L1"].rank == 12
    assert standing["L1"].tier == 2


def test_it_puts_the_top_ten_in_tier_one_the_bottom_ten_in_tier_three_and_the_rest_in_two():
    totals = {f"J{i:02}": D(i) for i in range(51)}
    tiers = {key: s.tier for key, s in scoring.standings(totals, TIERS).items()}
    assert sum(1 for t in tiers.values() if t == 1) == 10
    assert sum(1 for t in tiers.values() if t == 2) == 31
    assert sum(1 for t in tiers.values() if t == 3) == 10
    assert tiers["J50"] == 1 and tiers["J41"] == 1 and tiers["J40"] == 2
    assert tiers["J10"] == 2 and tiers["J09"] == 3 and tiers["J00"] == 3


def test_it_keeps_a_tie_at_the_bottom_boundary_in_tier_three():
    totals = {f"J{i:02}": D(i) for i in range(51)}
    totals["J10"] = D(9)  # J09 and J10 now tie for 41st: fewer than 10 score lower
    standing = scoring.standings(totals, TIERS)
    assert standing["J10"].tier == standing["J09"].tier == 3


def test_it_reports_year_over_year_change():
    assert scoring.year_over_year(D("68.5"), D("68")) == D("0.5")
    assert scoring.year_over_year(D("60"), D("62.25")) == D("-2.25")
    assert scoring.year_over_year(D("60"), None) is None


def test_it_counts_jurisdictions_fully_meeting_each_goal():
    pairs = [("3.2", "fully_met"), ("3.2", "not_met"), ("3.2", "fully_met"), ("2.5", "not_met")]
    assert scoring.fully_met_counts(pairs) == {"3.2": 2, "2.5": 0}


@pytest.mark.parametrize(
    ("value", "printed"), [("16.00", "16"), ("8.50", "8.5"), ("68.5", "68.5"), ("100", "100")]
)
def test_it_prints_scores_as_the_report_card_does(value, printed):
    assert scoring.fmt(D(value)) == printed


@pytest.mark.parametrize(
    ("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (10, "10th"), (11, "11th"), (22, "22nd")]
)
def test_it_writes_ranks_as_ordinals(n, text):
    assert scoring.ordinal(n) == text


quarter_points = st.integers(min_value=-4, max_value=14).map(lambda q: D(q) / 4)


@given(status=st.sampled_from(list(Status)), points=st.one_of(st.none(), quarter_points))
def test_it_never_returns_points_outside_zero_to_max(status, points):
    try:
        value = scoring.goal_points(status, points, MAX)
    except scoring.ScoringError:
        return
    assert D(0) <= value <= MAX


@given(st.dictionaries(st.text(min_size=1, max_size=3), quarter_points, min_size=1, max_size=60))
def test_it_ranks_consistently_with_the_totals(totals):
    standing = scoring.standings(totals, TIERS)
    for key, total in totals.items():
        higher = sum(1 for other in totals.values() if other > total)
        assert standing[key].rank == higher + 1
        assert standing[key].tied == (list(totals.values()).count(total) > 1)
