"""Provisional scores: a cycle's scores, grades, ranks and tiers as if every unapproved
version counted (the national table's provisional view).

Officially only approved versions count (recompute.cycle_inputs). Here each goal whose
newest saved version is not approved (a draft or a submitted version, whether or not an
earlier version was approved) counts as saved instead, with its extra credit as saved,
like `recompute.assessment_scores`' provisional score but for the whole cycle at once.
Everything is computed in memory with the pure rules of scoring.py from a fixed number of
queries; nothing is written and no snapshot is stored, so it is never published.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from statutes.models import Jurisdiction

from . import scoring
from .models import Cycle, ExtraCreditAward, GoalDetermination, ReviewState, ScoreSnapshot
from .recompute import counted_points, cycle_inputs


@dataclass(frozen=True)
class ProvisionalScore:
    """One jurisdiction officially (approved versions only, as the recompute counts them)
    and provisionally (its pending versions counted too)."""

    jurisdiction: Jurisdiction
    official: scoring.AssessmentScore
    official_standing: scoring.Standing
    score: scoring.AssessmentScore
    standing: scoring.Standing
    change: Decimal | None  # provisional total against the previous cycle's stored total
    approved_goals: int
    pending_goals: int

    @property
    def difference(self) -> Decimal:
        """Provisional total minus official total."""
        return self.score.total - self.official.total


@dataclass(frozen=True)
class PendingVersions:
    """The goals whose newest version is not approved, as saved: {assessment id: {goal id:
    (status, points)}} and {assessment id: [(goal id, category code, points)]}."""

    counted: dict[int, dict]
    awards: dict[int, list]


def pending_versions(cycle: Cycle) -> PendingVersions:
    """Two queries, however many jurisdictions and goals."""
    pending = GoalDetermination.objects.filter(assessment__cycle=cycle).exclude(
        review_state=ReviewState.APPROVED
    )
    counted = defaultdict(dict)
    for assessment_id, goal_id, status, points in pending.order_by().values_list(
        "assessment_id", "goal_id", "status", "points"
    ):
        counted[assessment_id][goal_id] = (status, counted_points(status, points))
    awards = defaultdict(list)
    for assessment_id, goal_id, code, points in (
        ExtraCreditAward.objects.filter(determination__in=pending)
        .order_by()
        .values_list(
            "determination__assessment_id", "determination__goal_id", "category__code", "points"
        )
    ):
        awards[assessment_id].append((goal_id, code, points))
    return PendingVersions(counted, awards)


def cycle_provisional(cycle: Cycle) -> list[ProvisionalScore]:
    """Every jurisdiction of the cycle officially and provisionally, best provisional rank
    first (ties by name); a fixed number of queries."""
    inputs = cycle_inputs(cycle)
    pending = pending_versions(cycle)
    official, provisional = {}, {}
    for assessment_id, jurisdiction_id in inputs.jurisdictions.items():
        official[jurisdiction_id] = inputs.score(assessment_id)
        changed = pending.counted.get(assessment_id, {})
        kept_awards = [a for a in inputs.awards[assessment_id] if a[0] not in changed]
        provisional[jurisdiction_id] = inputs.score(
            assessment_id,
            {**inputs.counted[assessment_id], **changed},
            kept_awards + pending.awards.get(assessment_id, []),
        )
    tiers = inputs.framework.rules().tiers
    official_standings = scoring.standings({key: s.total for key, s in official.items()}, tiers)
    standings = scoring.standings({key: s.total for key, s in provisional.items()}, tiers)
    previous = _previous_totals(cycle)
    jurisdictions = Jurisdiction.objects.in_bulk(list(inputs.jurisdictions.values()))
    pending_counts = {
        inputs.jurisdictions[assessment_id]: len(goals)
        for assessment_id, goals in pending.counted.items()
    }
    scores = [
        ProvisionalScore(
            jurisdiction=jurisdictions[key],
            official=official[key],
            official_standing=official_standings[key],
            score=provisional[key],
            standing=standings[key],
            change=scoring.year_over_year(provisional[key].total, previous.get(key)),
            approved_goals=len(inputs.source_versions[key]),
            pending_goals=pending_counts.get(key, 0),
        )
        for key in provisional
    ]
    return sorted(scores, key=lambda s: (s.standing.rank, s.jurisdiction.name))


def _previous_totals(cycle: Cycle) -> dict[int, Decimal]:
    """The previous cycle's stored totals, for the year-over-year change."""
    if not cycle.previous_id:
        return {}
    return dict(
        ScoreSnapshot.objects.filter(cycle_id=cycle.previous_id).values_list(
            "jurisdiction_id", "total"
        )
    )
