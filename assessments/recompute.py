"""Recomputing a cycle's scores, ranks and tiers in one pass (DESIGN.md §4 and §6).

Reads every determination of the cycle with a fixed number of queries, applies the pure
rules of scoring.py and stores one ScoreSnapshot per jurisdiction. Safe to run twice or
concurrently: the snapshots are replaced wholesale inside one transaction, and the stale
mark is cleared only if no change arrived while the recompute ran.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
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
    ScoreSnapshot,
)
from .selectors import score_state, scores_current

logger = logging.getLogger(__name__)


def queue_recompute(cycle_id: int, *, delay: float | None = None) -> bool:
    """Send the recompute to the workers, to start after `delay` seconds; False (and a log
    line) when that fails.

    Runs after the user's change has committed, so a broker outage must not turn a saved
    approval into an error page: the cycle stays marked stale, no longer marked queued, and
    the sweep queues it.
    """
    from .tasks import recompute_cycle

    try:
        recompute_cycle.apply_async(args=[cycle_id], countdown=delay)
    except Exception:  # the broker, or an eager recompute, failed; the sweep will retry
        logger.warning("Could not queue the recompute of cycle %s", cycle_id, exc_info=True)
        CycleScoreState.objects.filter(cycle_id=cycle_id).update(queued_at=None)
        return False
    return True


def cycle_mark_stale(*, cycle_id: int, queue: bool = True) -> None:
    """Record that the cycle's scores are out of date and, once the change has committed,
    queue their recompute unless one is queued already (that run starts later and counts
    this change too).

    Call inside the transaction that made the change, as its last write (the score state
    is last in the lock order): a worker never recomputes from data that is not yet
    visible, or later rolled back.
    """
    state, _ = CycleScoreState.objects.get_or_create(cycle_id=cycle_id)
    CycleScoreState.objects.filter(pk=state.pk).update(
        stale=True,
        generation=F("generation") + 1,
        stale_since=Coalesce(F("stale_since"), timezone.now()),
    )
    if queue:  # bulk loaders pass False and recompute once when they are done
        transaction.on_commit(lambda: queue_recompute_unless_queued(cycle_id))


def queue_recompute_unless_queued(cycle_id: int) -> bool:
    """Queue the cycle's recompute, to start SCORE_RECOMPUTE_DELAY seconds from now, unless
    one is queued and not started yet; True when this call queued it.

    The claim is one conditional update, so of many changes committing at once exactly one
    queues the run. Claimed after the commit, so a process that dies in between leaves
    nothing claimed and the sweep queues the run.
    """
    claimed = CycleScoreState.objects.filter(cycle_id=cycle_id, queued_at__isnull=True).update(
        queued_at=timezone.now()
    )
    return bool(claimed) and queue_recompute(cycle_id, delay=settings.SCORE_RECOMPUTE_DELAY)


def cycle_recompute_queued(*, cycle_id: int) -> int:
    """The queued recompute (the task): how many jurisdictions it scored, 0 when an earlier
    run already counted every change.

    Starting clears the queued mark, so a change from now on queues the one run that
    follows this one; changes that arrived while it waited are counted by it.
    """
    states = CycleScoreState.objects.filter(cycle_id=cycle_id)
    states.update(queued_at=None, running_since=timezone.now())
    if not states.filter(stale=True).exists():
        states.update(running_since=None)
        return 0
    return len(cycle_recompute(cycle_id=cycle_id))


def cycle_recompute_sweep() -> list[int]:
    """Queue a recompute of every stale cycle that has none queued or running, or whose
    run was not heard of for SCORE_RECOMPUTE_LOST_AFTER seconds (a killed worker, a
    message lost with the broker). Returns the cycles queued."""
    now = timezone.now()
    lost = now - timedelta(seconds=settings.SCORE_RECOMPUTE_LOST_AFTER)
    waiting = CycleScoreState.objects.filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=lost),
        Q(running_since__isnull=True) | Q(running_since__lt=lost),
        stale=True,
    )
    queued = []
    for cycle_id in list(waiting.values_list("cycle_id", flat=True)):
        # Claimed like a change claims it, so a change meanwhile does not queue a second.
        if waiting.filter(cycle_id=cycle_id).update(queued_at=now):
            queue_recompute(cycle_id)
            queued.append(cycle_id)
    return queued


def framework_mark_stale(*, framework_id: int) -> None:
    """A framework edit (goal maxima, extra-credit opportunities) can change every score of
    every cycle that uses it."""
    for cycle_id in Cycle.objects.filter(framework_id=framework_id).values_list("id", flat=True):
        cycle_mark_stale(cycle_id=cycle_id)


# The fields a recompute reads, as tuples (values_list): every goal, and of every
# determination the approval that counts (status, points, extra credit as approved).
GOAL_FIELDS = ("id", "number", "issue_area__number", "max_points")
DETERMINATION_FIELDS = (
    "assessment_id",
    "goal_id",
    "approved__status",
    "approved__points",
    "approved__version",
    "approved__extra_credit",
)
NOT_COUNTED = (scoring.Status.NOT_MET, None)


def _goal_inputs(goals, counted):
    """One GoalInput per framework goal from {goal id: (status, points)}; goals without a
    counted determination score 0."""
    inputs = []
    for goal_id, number, issue, max_points in goals:
        status, points = counted.get(goal_id, NOT_COUNTED)
        inputs.append(scoring.GoalInput(number, issue, status, points, max_points))
    return inputs


def _framework_data(framework):
    goals = list(
        PolicyGoal.objects.filter(framework_id=framework.id)
        .order_by("ordering")
        .values_list(*GOAL_FIELDS)
    )
    opportunities = {
        (goal_id, code): maximum
        for goal_id, code, maximum in ExtraCreditOpportunity.objects.filter(
            goal__framework_id=framework.id
        ).values_list("goal_id", "category__code", "max_points")
    }
    categories = list(framework.extra_credit_categories.values_list("code", flat=True))
    return goals, opportunities, categories


def _award_inputs(awards, opportunities, counted_goal_ids):
    """Awards as scoring inputs, held to the framework as it is now.

    Awards are checked against their opportunity when saved, but an admin may lower or
    withdraw an opportunity later: such an award counts for the new maximum (or nothing)
    instead of failing the whole cycle's recompute.
    """
    inputs = []
    for goal_id, code, points in awards:
        if goal_id not in counted_goal_ids:
            continue
        maximum = opportunities.get((goal_id, code))
        if maximum is None:
            continue
        inputs.append(scoring.AwardInput(code, min(points, maximum), maximum))
    return inputs


def _score(framework, framework_data, counted, awards):
    goals, opportunities, categories = framework_data
    return scoring.score_assessment(
        _goal_inputs(goals, counted),
        _award_inputs(awards, opportunities, counted),
        categories,
        framework.extra_credit_cap,
        framework.rules().scale,
    )


def assessment_scores(assessment: Assessment) -> tuple[scoring.AssessmentScore, ...]:
    """(provisional, published) scores of one assessment, read with one set of queries.

    Provisional counts the live rows, drafts and submitted versions too; published counts
    each goal's approved version, as approved (DESIGN.md §4).
    """
    framework = assessment.cycle.framework
    framework_data = _framework_data(framework)
    rows = list(
        assessment.determinations.order_by().values_list(
            "goal_id",
            "status",
            "points",
            "approved__status",
            "approved__points",
            "approved__extra_credit",
        )
    )
    awards = list(
        ExtraCreditAward.objects.filter(determination__assessment=assessment)
        .order_by()
        .values_list("determination__goal_id", "category__code", "points")
    )
    provisional = _score(
        framework,
        framework_data,
        {goal_id: (status, points) for goal_id, status, points, *_ in rows},
        awards,
    )
    published = _score(
        framework,
        framework_data,
        {
            goal_id: (status, counted_points(status, points))
            for goal_id, _, _, status, points, _ in rows
            if status
        },
        [award for row in rows if row[3] for award in _approved_awards(row[0], row[5])],
    )
    return provisional, published


def counted_points(status, points):
    """The status fixes a fully met or not met goal's points, at the goal's maximum as it
    is now (an admin may have changed it since the approval); only partial credit is the
    approval's own number."""
    return points if status == scoring.Status.PARTIALLY_MET else None


def _approved_awards(goal_id, extra_credit: dict) -> list:
    """An approval's extra credit ({category code: "points"}) as award rows."""
    return [(goal_id, code, Decimal(points)) for code, points in (extra_credit or {}).items()]


def assessment_score(assessment: Assessment, *, include_drafts: bool) -> scoring.AssessmentScore:
    """Score one assessment: published rules (approved only) or provisional (drafts too)."""
    provisional, published = assessment_scores(assessment)
    return provisional if include_drafts else published


def scores_make_current(*, cycle: Cycle) -> None:
    """Recompute the cycle's scores now unless they are current (selectors.current_scores):
    for commands and background jobs that must print current numbers, never for a page."""
    if not scores_current(score_state(cycle)):
        cycle_recompute(cycle_id=cycle.id)


@dataclass
class CycleInputs:
    """What a cycle's published scores are computed from: each assessment's approved goals
    as {goal id: (status, points)} and its approved extra-credit awards."""

    framework: object
    framework_data: tuple
    jurisdictions: dict[int, int]  # assessment id -> jurisdiction id
    counted: dict[int, dict]
    awards: dict[int, list]
    source_versions: dict[int, dict]
    approved_statuses: list

    @property
    def goal_numbers(self) -> dict[int, str]:
        return {goal[0]: goal[1] for goal in self.framework_data[0]}

    def score(
        self, assessment_id: int, counted: dict | None = None, awards: list | None = None
    ) -> scoring.AssessmentScore:
        """The assessment's score from its approved goals and awards, or from `counted`
        and `awards` instead."""
        if counted is None:
            counted = self.counted[assessment_id]
        if awards is None:
            awards = self.awards[assessment_id]
        return _score(self.framework, self.framework_data, counted, awards)


def cycle_inputs(cycle: Cycle) -> CycleInputs:
    """Read the cycle's approved determinations with a fixed number of queries (no writes)."""
    framework = cycle.framework
    framework_data = _framework_data(framework)
    goal_numbers = {goal[0]: goal[1] for goal in framework_data[0]}
    jurisdictions = dict(
        Assessment.objects.filter(cycle=cycle).order_by().values_list("id", "jurisdiction_id")
    )
    # Published scores count each goal's approved version only, as approved: a newer draft
    # of an approved goal changes nothing here. Unordered (.order_by()): the models' default
    # orderings would join jurisdictions and goals only to sort rows whose order does not
    # matter here.
    inputs = CycleInputs(
        framework=framework,
        framework_data=framework_data,
        jurisdictions=jurisdictions,
        counted={assessment_id: {} for assessment_id in jurisdictions},
        awards=defaultdict(list),
        source_versions={jurisdiction_id: {} for jurisdiction_id in jurisdictions.values()},
        approved_statuses=[],
    )
    for assessment_id, goal_id, status, points, version, extra_credit in (
        GoalDetermination.objects.filter(assessment__cycle=cycle, approved__isnull=False)
        .order_by()
        .values_list(*DETERMINATION_FIELDS)
    ):
        inputs.counted[assessment_id][goal_id] = (status, counted_points(status, points))
        # Which version of each goal was counted: the snapshot says what it was computed from.
        inputs.source_versions[jurisdictions[assessment_id]][goal_numbers[goal_id]] = version
        inputs.approved_statuses.append((goal_numbers[goal_id], status))
        inputs.awards[assessment_id].extend(_approved_awards(goal_id, extra_credit))
    return inputs


def score_fields(score: scoring.AssessmentScore) -> dict:
    """A score as the fields of a ScoreSnapshot (issues and extra credit as stored)."""
    return {
        "issues": [
            {
                "number": issue.number,
                "score": str(issue.score),
                "max": str(issue.max),
                "grade": issue.grade,
            }
            for issue in score.issues
        ],
        "extra_credit": {
            **{code: str(points) for code, points in score.extra_credit.by_category.items()},
            "total": str(score.extra_credit.total),
        },
        "base": score.base,
        "total": score.total,
        "grade": score.grade,
    }


def cycle_recompute(*, cycle_id: int) -> list[ScoreSnapshot]:
    """Recompute and store every jurisdiction's scores, ranks and tiers for the cycle."""
    cycle = Cycle.objects.select_related("framework").get(pk=cycle_id)
    state, _ = CycleScoreState.objects.get_or_create(cycle=cycle)
    generation = state.generation
    inputs = cycle_inputs(cycle)
    previous_totals = {}
    if cycle.previous_id:
        previous_totals = dict(
            ScoreSnapshot.objects.filter(cycle_id=cycle.previous_id).values_list(
                "jurisdiction_id", "total"
            )
        )

    scores = {
        jurisdiction_id: inputs.score(assessment_id)
        for assessment_id, jurisdiction_id in inputs.jurisdictions.items()
    }
    standing = scoring.standings(
        {key: score.total for key, score in scores.items()}, cycle.framework.rules().tiers
    )

    now = timezone.now()
    snapshots = [
        ScoreSnapshot(
            cycle=cycle,
            jurisdiction_id=jurisdiction_id,
            **score_fields(score),
            rank=standing[jurisdiction_id].rank,
            tied=standing[jurisdiction_id].tied,
            tier=standing[jurisdiction_id].tier,
            change=scoring.year_over_year(score.total, previous_totals.get(jurisdiction_id)),
            approved_goals=len(inputs.source_versions[jurisdiction_id]),
            source_versions=inputs.source_versions[jurisdiction_id],
            computed_at=now,
        )
        for jurisdiction_id, score in scores.items()
    ]
    counts = scoring.fully_met_counts(inputs.approved_statuses)
    _store(cycle, state, generation, snapshots, counts=counts, goal_numbers=inputs.goal_numbers)
    return snapshots


def _store(cycle, state, generation, snapshots, *, counts, goal_numbers) -> None:
    """The recompute's only write: short, and out of the way of saves and approvals.

    Recomputes of one cycle take turns on the cycle's row, locked FOR NO KEY UPDATE, so
    their deletes and inserts of the snapshots never interleave, while the snapshots'
    foreign keys (FOR KEY SHARE) and everyone else's work go on. The score state, which
    every approval updates, is written last and held only until the commit.
    """
    with transaction.atomic():
        Cycle.objects.select_for_update(of=("self",), no_key=True).only("pk").get(pk=cycle.pk)
        ScoreSnapshot.objects.filter(cycle=cycle).delete()
        ScoreSnapshot.objects.bulk_create(snapshots)
        computed_at = snapshots[0].computed_at if snapshots else timezone.now()
        CycleScoreState.objects.filter(pk=state.pk).update(
            fully_met_counts={number: counts.get(number, 0) for number in goal_numbers.values()},
            jurisdiction_count=len(snapshots),
            computed_at=computed_at,
            runs=F("runs") + 1,
            running_since=None,
        )
        # A change that arrived while this ran raised the generation: it stays stale.
        CycleScoreState.objects.filter(pk=state.pk, generation=generation).update(
            stale=False, stale_since=None, computed_generation=generation
        )
