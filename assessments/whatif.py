"""The what-if simulator: a jurisdiction's scores, rank and tier if some goals were scored
differently ("if this bill passes, what grade do we get?").

Starts from the cycle's approved determinations, exactly as the recompute reads them
(recompute.cycle_inputs), replaces the scenario's goals for one jurisdiction and scores
everyone with the same pure rules. It only reads: no snapshot, history or score changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from statutes.models import Jurisdiction

from . import scoring
from .models import Assessment, Cycle, Recommendation, ScoreSnapshot
from .recompute import cycle_inputs, score_fields
from .reporting import snapshot_summary


class ScenarioError(ValueError):
    """A scenario that cannot be simulated; the message is meant for the analyst."""


@dataclass(frozen=True)
class GoalSetting:
    status: str
    points: Decimal | None = None


@dataclass(frozen=True)
class TierChange:
    jurisdiction: str
    before: int
    after: int


@dataclass(frozen=True)
class WhatIf:
    """The jurisdiction's summary now and under the scenario (score_state's fields), and
    the other jurisdictions whose tier the scenario changes."""

    current: dict
    simulated: dict
    tier_changes: list[TierChange] = field(default_factory=list)


def setting_parse(text: str) -> tuple[str, GoalSetting]:
    """`2.9=fully_met` or `4.2=partially_met:1.25` as (goal number, setting)."""
    goal, sep, value = text.partition("=")
    if not sep or not goal.strip() or not value.strip():
        raise ScenarioError(
            f"“{text}” is not a goal setting; write GOAL=STATUS or GOAL=STATUS:POINTS, "
            "such as 2.9=fully_met or 4.2=partially_met:1.25."
        )
    status, _, points_text = value.strip().partition(":")
    points = None
    if points_text:
        try:
            points = Decimal(points_text)
        except InvalidOperation:
            raise ScenarioError(f"“{points_text}” (goal {goal}) is not a number.") from None
        if not points.is_finite():
            raise ScenarioError(f"“{points_text}” (goal {goal}) is not a number.")
    return goal.strip(), GoalSetting(status.strip(), points)


def cycle_assessment(cycle: Cycle, code: str) -> Assessment:
    try:
        return Assessment.objects.select_related("jurisdiction").get(
            cycle=cycle, jurisdiction__code=code.upper()
        )
    except Assessment.DoesNotExist:
        raise ScenarioError(f"No {cycle.year} assessment for jurisdiction “{code}”.") from None


def enacted_settings(assessment: Assessment, picks: Iterable[str]) -> dict[str, GoalSetting]:
    """Recommendations picked as enacted ("2.9.1": goal 2.9's first recommendation) set
    their goal to fully met."""
    settings = {}
    for pick in picks:
        goal, _, index = pick.strip().rpartition(".")
        recommendations = list(
            Recommendation.objects.filter(
                determination__assessment=assessment, determination__goal__number=goal
            ).values_list("id", flat=True)
        )
        if not index.isdigit() or not 1 <= int(index) <= len(recommendations):
            raise ScenarioError(
                f"{assessment.jurisdiction.code} has no recommendation {pick} "
                f"(goal {goal or '?'} has {len(recommendations)})."
            )
        settings[goal] = GoalSetting(scoring.Status.FULLY_MET)
    return settings


def _counted_with(inputs, assessment_id: int, settings: Mapping[str, GoalSetting]) -> dict:
    """The assessment's approved {goal id: (status, points)} with the scenario's goals
    replaced; every setting checked against the goal's maximum first."""
    goals = {number: (goal_id, maximum) for goal_id, number, _, maximum in inputs.framework_data[0]}
    counted = dict(inputs.counted[assessment_id])
    problems = []
    for number, setting in settings.items():
        if number not in goals:
            problems.append(f"There is no goal {number} in this cycle's framework.")
            continue
        goal_id, maximum = goals[number]
        problem = scoring.goal_points_problem(setting.status, setting.points, maximum)
        if problem:
            problems.append(f"Goal {number}: {problem}")
            continue
        points = setting.points if setting.status == scoring.Status.PARTIALLY_MET else None
        counted[goal_id] = (setting.status, points)
    if problems:
        raise ScenarioError(" ".join(problems))
    return counted


def what_if(
    cycle: Cycle,
    code: str,
    settings: Mapping[str, GoalSetting],
    *,
    enact: Iterable[str] = (),
) -> WhatIf:
    """Score `code` in `cycle` as if its goals were set as in `settings` (goal number ->
    setting) and the picked recommendations enacted (settings win over picks)."""
    assessment = cycle_assessment(cycle, code)
    settings = {**enacted_settings(assessment, enact), **settings}
    inputs = cycle_inputs(cycle)
    scenario = _counted_with(inputs, assessment.id, settings)
    others = {
        jurisdiction_id: inputs.score(assessment_id).total
        for assessment_id, jurisdiction_id in inputs.jurisdictions.items()
        if assessment_id != assessment.id
    }
    current_score = inputs.score(assessment.id)
    simulated_score = inputs.score(assessment.id, scenario)
    tiers = inputs.framework.rules().tiers
    before = scoring.standings({**others, assessment.jurisdiction_id: current_score.total}, tiers)
    after = scoring.standings({**others, assessment.jurisdiction_id: simulated_score.total}, tiers)
    return WhatIf(
        current=_summary(cycle, assessment, current_score, before),
        simulated=_summary(cycle, assessment, simulated_score, after),
        tier_changes=_tier_changes(before, after, exclude=assessment.jurisdiction_id),
    )


def _summary(cycle, assessment, score, standings) -> dict:
    standing = standings[assessment.jurisdiction_id]
    snapshot = ScoreSnapshot(  # never saved: the summary's one formatting of a score
        cycle=cycle,
        jurisdiction=assessment.jurisdiction,
        **score_fields(score),
        rank=standing.rank,
        tied=standing.tied,
        tier=standing.tier,
    )
    return snapshot_summary(snapshot)


def _tier_changes(before, after, *, exclude) -> list[TierChange]:
    moved = [key for key in after if key != exclude and after[key].tier != before[key].tier]
    codes = dict(Jurisdiction.objects.filter(id__in=moved).values_list("id", "code"))
    return sorted(
        (TierChange(codes[key], before[key].tier, after[key].tier) for key in moved),
        key=lambda change: change.jurisdiction,
    )


def what_if_data(result: WhatIf) -> dict:
    """The command's JSON: score_state's keys for the simulated scores, plus the current
    total, grade, rank and tier, and the other jurisdictions' tier changes."""
    current = result.current
    return {
        **result.simulated,
        "current": {key: current[key] for key in ("total", "grade", "rank", "tied", "tier")},
        "tier_changes": [
            {"jurisdiction": change.jurisdiction, "from": change.before, "to": change.after}
            for change in result.tier_changes
        ],
    }
