"""Recomputing a cycle's scores, ranks and tiers in one pass (DESIGN.md §4 and §6).

Reads every determination of the cycle with a fixed number of queries, applies the pure
rules of scoring.py and stores one ScoreSnapshot per jurisdiction. Safe to run twice or
concurrently: the snapshots are replaced wholesale inside one transaction, and the stale
mark is cleared only if no change arrived while the recompute ran.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import scoring
from .models import (
    Assessment,
    Cycle,
    CycleScoreState,
    ExtraCreditAward,
    ExtraCreditOpportunity,
    GoalDetermination,
    PolicyGoal,
    ReviewState,
    ScoreSnapshot,
)

logger = logging.getLogger(__name__)


def queue_recompute(cycle_id: int) -> bool:
    """Send the recompute to the workers; False (and a log line) when that fails.

    Runs after the user's change has committed, so a broker outage must not turn a saved
    approval into an error page: the cycle stays marked stale and the sweep re-queues it.
    """
    from .tasks import recompute_cycle

    try:
        recompute_cycle.delay(cycle_id)
    except Exception:  # the broker, or an eager recompute, failed; the sweep will retry
        logger.warning("Could not queue the recompute of cycle %s", cycle_id, exc_info=True)
        return False
    return True


def cycle_mark_stale(*, cycle_id: int, queue: bool = True) -> None:
    """Record that the cycle's scores are out of date and queue their recompute.

    Call inside the transaction that made the change: the task is queued on commit, so a
    worker never recomputes from data that is not yet visible (or later rolled back).
    """
    state, _ = CycleScoreState.objects.get_or_create(cycle_id=cycle_id)
    CycleScoreState.objects.filter(pk=state.pk).update(
        stale=True,
        generation=F("generation") + 1,
        stale_since=Coalesce(F("stale_since"), timezone.now()),
    )
    if queue:  # bulk loaders pass False and recompute once when they are done
        transaction.on_commit(lambda: queue_recompute(cycle_id))


def framework_mark_stale(*, framework_id: int) -> None:
    """A framework edit (goal maxima, extra-credit opportunities) can change every score of
    every cycle that uses it."""
    for cycle_id in Cycle.objects.filter(framework_id=framework_id).values_list("id", flat=True):
        cycle_mark_stale(cycle_id=cycle_id)


def _goal_inputs(goals, determinations, include_drafts):
    """One GoalInput per framework goal; goals without a counted determination score 0."""
    counted = {
        d["goal_id"]: d
        for d in determinations
        if include_drafts or d["review_state"] == ReviewState.APPROVED
    }
    inputs = []
    for goal in goals:
        found = counted.get(goal["id"])
        status = found["status"] if found else scoring.Status.NOT_MET
        points = found["points"] if found else Decimal("0")
        inputs.append(
            scoring.GoalInput(
                number=goal["number"],
                issue=goal["issue_area__number"],
                status=status,
                points=points,
                max_points=goal["max_points"],
            )
        )
    return inputs, set(counted)


def _framework_data(framework_id):
    goals = list(
        PolicyGoal.objects.filter(framework_id=framework_id)
        .order_by("ordering")
        .values("id", "number", "issue_area__number", "max_points")
    )
    opportunities = {
        (o["goal_id"], o["category_id"]): o["max_points"]
        for o in ExtraCreditOpportunity.objects.filter(goal__framework_id=framework_id).values(
            "goal_id", "category_id", "max_points"
        )
    }
    return goals, opportunities


def _award_inputs(awards, opportunities, counted_goal_ids):
    """Awards as scoring inputs, held to the framework as it is now.

    Awards are checked against their opportunity when saved, but an admin may lower or
    withdraw an opportunity later: such an award counts for the new maximum (or nothing)
    instead of failing the whole cycle's recompute.
    """
    inputs = []
    for award in awards:
        if award["determination__goal_id"] not in counted_goal_ids:
            continue
        maximum = opportunities.get((award["determination__goal_id"], award["category_id"]))
        if maximum is None:
            continue
        inputs.append(
            scoring.AwardInput(
                category=award["category__code"],
                points=min(award["points"], maximum),
                max_points=maximum,
                goal=str(award["determination__goal_id"]),
            )
        )
    return inputs


DETERMINATION_FIELDS = (
    "assessment_id",
    "goal_id",
    "status",
    "points",
    "review_state",
    "version",
)
AWARD_FIELDS = (
    "determination__assessment_id",
    "determination__goal_id",
    "determination__review_state",
    "category_id",
    "category__code",
    "points",
)


def _score(framework, categories, goals, opportunities, determinations, awards, include_drafts):
    inputs, counted = _goal_inputs(goals, determinations, include_drafts)
    award_inputs = _award_inputs(awards, opportunities, counted)
    score = scoring.score_assessment(inputs, award_inputs, categories, framework.extra_credit_cap)
    return score, len(counted)


def _category_codes(framework) -> list[str]:
    return list(framework.extra_credit_categories.values_list("code", flat=True))


def assessment_score(assessment: Assessment, *, include_drafts: bool) -> scoring.AssessmentScore:
    """Score one assessment: published rules (approved only) or provisional (drafts too)."""
    framework = assessment.cycle.framework
    goals, opportunities = _framework_data(framework.id)
    determinations = list(assessment.determinations.values(*DETERMINATION_FIELDS))
    awards = list(
        ExtraCreditAward.objects.filter(determination__assessment=assessment).values(*AWARD_FIELDS)
    )
    score, _ = _score(
        framework,
        _category_codes(framework),
        goals,
        opportunities,
        determinations,
        awards,
        include_drafts,
    )
    return score


def cycle_recompute(*, cycle_id: int) -> list[ScoreSnapshot]:
    """Recompute and store every jurisdiction's scores, ranks and tiers for the cycle."""
    cycle = Cycle.objects.select_related("framework").get(pk=cycle_id)
    state, _ = CycleScoreState.objects.get_or_create(cycle=cycle)
    generation = state.generation
    framework = cycle.framework
    goals, opportunities = _framework_data(framework.id)

    assessments = {
        a["id"]: a["jurisdiction_id"]
        for a in Assessment.objects.filter(cycle=cycle).values("id", "jurisdiction_id")
    }
    determinations = defaultdict(list)
    approved_statuses = []
    goal_numbers = {goal["id"]: goal["number"] for goal in goals}
    for row in GoalDetermination.objects.filter(assessment__cycle=cycle).values(
        *DETERMINATION_FIELDS
    ):
        determinations[row["assessment_id"]].append(row)
        if row["review_state"] == ReviewState.APPROVED:
            approved_statuses.append((goal_numbers[row["goal_id"]], row["status"]))
    awards = defaultdict(list)
    for row in ExtraCreditAward.objects.filter(
        determination__assessment__cycle=cycle,
        determination__review_state=ReviewState.APPROVED,
    ).values(*AWARD_FIELDS):
        awards[row["determination__assessment_id"]].append(row)
    previous_totals = {}
    if cycle.previous_id:
        previous_totals = dict(
            ScoreSnapshot.objects.filter(cycle_id=cycle.previous_id).values_list(
                "jurisdiction_id", "total"
            )
        )

    categories = _category_codes(framework)
    scores = {}
    approved_counts = {}
    source_versions = {}
    for assessment_id, jurisdiction_id in assessments.items():
        # Which version of each goal was counted: the snapshot says what it was computed from.
        source_versions[jurisdiction_id] = {
            goal_numbers[row["goal_id"]]: row["version"]
            for row in determinations[assessment_id]
            if row["review_state"] == ReviewState.APPROVED
        }
        scores[jurisdiction_id], approved_counts[jurisdiction_id] = _score(
            framework,
            categories,
            goals,
            opportunities,
            determinations[assessment_id],
            awards[assessment_id],
            include_drafts=False,
        )
    standing = scoring.standings({key: score.total for key, score in scores.items()})

    now = timezone.now()
    snapshots = [
        ScoreSnapshot(
            cycle=cycle,
            jurisdiction_id=jurisdiction_id,
            issues=[
                {
                    "number": issue.number,
                    "score": str(issue.score),
                    "max": str(issue.max),
                    "grade": issue.grade,
                }
                for issue in score.issues
            ],
            extra_credit={
                **{code: str(points) for code, points in score.extra_credit.by_category.items()},
                "total": str(score.extra_credit.total),
            },
            base=score.base,
            total=score.total,
            grade=score.grade,
            rank=standing[jurisdiction_id].rank,
            tied=standing[jurisdiction_id].tied,
            tier=standing[jurisdiction_id].tier,
            change=scoring.year_over_year(score.total, previous_totals.get(jurisdiction_id)),
            approved_goals=approved_counts[jurisdiction_id],
            source_versions=source_versions[jurisdiction_id],
            computed_at=now,
        )
        for jurisdiction_id, score in scores.items()
    ]
    with transaction.atomic():
        # One writer at a time per cycle: concurrent recomputes queue on this row lock
        # instead of interleaving their delete and insert of the snapshots.
        CycleScoreState.objects.select_for_update().get(pk=state.pk)
        ScoreSnapshot.objects.filter(cycle=cycle).delete()
        ScoreSnapshot.objects.bulk_create(snapshots)
        counts = scoring.fully_met_counts(approved_statuses)
        CycleScoreState.objects.filter(pk=state.pk).update(
            fully_met_counts={number: counts.get(number, 0) for number in goal_numbers.values()},
            jurisdiction_count=len(snapshots),
            computed_at=now,
        )
        CycleScoreState.objects.filter(pk=state.pk, generation=generation).update(
            stale=False, stale_since=None, computed_generation=generation
        )
    return snapshots
