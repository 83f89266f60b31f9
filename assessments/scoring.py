"""The scoring rules of DESIGN.md §4 as pure functions.

No ORM and no floats: every number is a Decimal, so 16 / 17.5 is compared exactly and
0.1 + 0.2 never turns into 0.30000000000000004 on a published report card.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

ZERO = Decimal("0")
POINT_STEP = Decimal("0.25")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class GradingScale:
    """A framework's letter grades, best first, each with the lowest percentage of the
    maximum that earns it; the last grade is the one below every threshold (minimum 0).

    The scale belongs to the framework (its file, assessments/framework_document.py): the
    2023 framework grades A at 90 %, B 80 %, C 70 %, D 60 %, else F.
    """

    grades: tuple[tuple[str, Decimal], ...]

    @property
    def failing(self) -> str:
        return self.grades[-1][0]

    @property
    def passing(self) -> tuple[tuple[str, Decimal], ...]:
        """The grades with a threshold above 0, best first."""
        return self.grades[:-1]

    @classmethod
    def from_rows(cls, rows) -> GradingScale:
        """From the stored rows: [{"grade": "A", "minimum_percent": "90"}, ...]."""
        return cls(tuple((row["grade"], Decimal(row["minimum_percent"])) for row in rows))


@dataclass(frozen=True)
class TierSizes:
    """How many places Tier I (the top) and Tier III (the bottom) hold; Tier II is the rest."""

    top: int
    bottom: int


@dataclass(frozen=True)
class Rules:
    """What a framework decides beyond its goals: the grading scale and the tier sizes."""

    scale: GradingScale
    tiers: TierSizes


class Status(StrEnum):
    FULLY_MET = "fully_met"
    PARTIALLY_MET = "partially_met"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


STATUS_VALUES = frozenset(Status)


class ScoringError(ValueError):
    """Points that the rules do not allow; the message is meant for the analyst."""


def goal_points_problem(status: str, points: Decimal | None, max_points: Decimal) -> str | None:
    """Why `points` are not valid for a goal with this status, in plain words; None if valid.

    Fully met and not met fix the points (the analyst may leave them blank or type the
    fixed value); partial credit must lie strictly between 0 and the maximum in 0.25 steps.
    """
    if status not in STATUS_VALUES:
        return f"“{status}” is not a status; use fully met, partially met or not met."
    if status == Status.FULLY_MET:
        if points is not None and points != max_points:
            return (
                f"A fully met goal scores its maximum of {fmt(max_points)} points, "
                f"not {fmt(points)}."
            )
        return None
    if status == Status.NOT_MET:
        if points is not None and points != ZERO:
            return f"A goal that is not met scores 0 points, not {fmt(points)}."
        return None
    if points is None:
        return "Partially met needs points: a value above 0 and below the maximum."
    if not ZERO < points < max_points:
        return (
            f"Partial credit must be more than 0 and less than {fmt(max_points)} points; "
            f"{fmt(points)} is not."
        )
    if points % POINT_STEP != ZERO:
        return f"Points go in steps of 0.25 (such as 1.25 or 1.5); {fmt(points)} is not one."
    return None


def goal_points(status: str, points: Decimal | None, max_points: Decimal) -> Decimal:
    """The points a goal earns; raises ScoringError rather than coercing bad input."""
    problem = goal_points_problem(status, points, max_points)
    if problem:
        raise ScoringError(problem)
    if status == Status.FULLY_MET:
        return max_points
    if status == Status.NOT_MET:
        return ZERO
    return points


def grade(score: Decimal, maximum: Decimal, scale: GradingScale) -> str:
    """Letter grade of `score` out of `maximum` on the framework's scale.

    Compared as score × 100 ≥ threshold × maximum, so 16 / 17.5 needs no rounding and a
    total above the maximum (extra credit) still grades against the base maximum.
    """
    for letter, threshold in scale.passing:
        if score * HUNDRED >= threshold * maximum:
            return letter
    return scale.failing


class GoalInput(NamedTuple):
    number: str
    issue: int
    status: str
    points: Decimal | None
    max_points: Decimal


class AwardInput(NamedTuple):
    category: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class IssueScore:
    number: int
    score: Decimal
    max: Decimal
    grade: str


@dataclass(frozen=True)
class ExtraCredit:
    by_category: Mapping[str, Decimal]
    total: Decimal


@dataclass(frozen=True)
class AssessmentScore:
    issues: tuple[IssueScore, ...]
    extra_credit: ExtraCredit
    base: Decimal
    total: Decimal
    grade: str


def issue_scores(goals: Iterable[GoalInput], scale: GradingScale) -> tuple[IssueScore, ...]:
    """Sum each issue's goal points; the issue maximum is the sum of its goals' maxima."""
    scores: dict[int, Decimal] = {}
    maxima: dict[int, Decimal] = {}
    for goal in goals:
        scores[goal.issue] = scores.get(goal.issue, ZERO) + goal_points(
            goal.status, goal.points, goal.max_points
        )
        maxima[goal.issue] = maxima.get(goal.issue, ZERO) + goal.max_points
    return tuple(
        IssueScore(
            number, scores[number], maxima[number], grade(scores[number], maxima[number], scale)
        )
        for number in sorted(scores)
    )


def award_problem(points: Decimal, max_points: Decimal) -> str | None:
    if not ZERO < points <= max_points:
        return (
            f"An extra-credit award must be more than 0 and at most {fmt(max_points)} points; "
            f"{fmt(points)} is not."
        )
    return None


def extra_credit(
    awards: Iterable[AwardInput], categories: Iterable[str], cap: Decimal
) -> ExtraCredit:
    """Category totals are plain sums; only the grand total is capped."""
    by_category = {code: ZERO for code in categories}
    for award in awards:
        problem = award_problem(award.points, award.max_points)
        if problem:
            raise ScoringError(problem)
        by_category[award.category] = by_category.get(award.category, ZERO) + award.points
    return ExtraCredit(by_category, min(sum(by_category.values(), ZERO), cap))


def score_assessment(
    goals: Iterable[GoalInput],
    awards: Iterable[AwardInput],
    categories: Iterable[str],
    cap: Decimal,
    scale: GradingScale,
) -> AssessmentScore:
    """Issue scores, extra credit, total and grade; the total (extra credit included) is
    graded against the framework's base maximum, the sum of its goals' maxima."""
    issues = issue_scores(goals, scale)
    credit = extra_credit(awards, categories, cap)
    base = sum((issue.score for issue in issues), ZERO)
    maximum = sum((issue.max for issue in issues), ZERO)
    total = base + credit.total
    return AssessmentScore(issues, credit, base, total, grade(total, maximum, scale))


@dataclass(frozen=True)
class Standing:
    rank: int
    tied: bool
    tier: int

    @property
    def rank_label(self) -> str:
        return rank_label(self.rank, self.tied)

    @property
    def tier_label(self) -> str:
        return tier_label(self.tier)


def standings(totals: Mapping[str, Decimal], tiers: TierSizes) -> dict[str, Standing]:
    """Competition ranks with ties and tiers for every jurisdiction of a cycle.

    Rank = 1 + how many scored strictly higher. Tier 1 when fewer than `tiers.top` scored
    higher, else Tier 3 when fewer than `tiers.bottom` scored lower, else Tier 2; so (with
    the 2023 framework's 10) a tie at 10th place keeps every tied jurisdiction in Tier 1.
    """
    ordered = sorted(totals.values(), reverse=True)
    count = len(ordered)
    result = {}
    for key, total in totals.items():
        higher = sum(1 for other in ordered if other > total)
        lower = sum(1 for other in ordered if other < total)
        tied = count - higher - lower > 1
        if higher < tiers.top:
            tier = 1
        elif lower < tiers.bottom:
            tier = 3
        else:
            tier = 2
        result[key] = Standing(rank=higher + 1, tied=tied, tier=tier)
    return result


def year_over_year(current: Decimal, previous: Decimal | None) -> Decimal | None:
    return None if previous is None else current - previous


def fully_met_counts(statuses: Iterable[tuple[str, str]]) -> dict[str, int]:
    """How many jurisdictions fully meet each goal, from (goal number, status) pairs."""
    counts: dict[str, int] = {}
    for goal, status in statuses:
        counts.setdefault(goal, 0)
        if status == Status.FULLY_MET:
            counts[goal] += 1
    return counts


def fmt(value: Decimal) -> str:
    """A Decimal as printed on the report card: 16, 8.5, 1.25 (no trailing zeros)."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def signed(value: Decimal) -> str:
    """+0.5, -2, 0: a change, its sign shown."""
    return ("+" if value > 0 else "") + fmt(value)


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def rank_label(rank: int, tied: bool) -> str:
    """10th, or 10th (tie) when others share the rank."""
    return ordinal(rank) + (" (tie)" if tied else "")


ROMAN_TIERS = {1: "I", 2: "II", 3: "III"}


def tier_label(tier: int) -> str:
    return f"Tier {ROMAN_TIERS[tier]}"
