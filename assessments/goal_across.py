"""One goal across the country: every jurisdiction's determination of one goal in a cycle,
side by side, so reviewers keep grading consistent between states (reads only).

A page costs the same few queries however many jurisdictions the cycle has: the rows with
their jurisdiction, approval and review state in one query, their citations in one more.
"""

from __future__ import annotations

from django.db.models import Prefetch

from .board import STATES, with_board_state
from .models import Citation, Cycle, GoalDetermination, PolicyGoal

NARRATIVE_LINES = 2
NARRATIVE_CHARS = 280
STATUSES = dict(GoalDetermination.Status.choices)


def cycle_goal(year: int, number: str) -> tuple[Cycle, PolicyGoal]:
    """The cycle and its framework's goal `number`; DoesNotExist for either."""
    cycle = Cycle.objects.select_related("framework").get(year=year)
    goal = PolicyGoal.objects.select_related("issue_area").get(
        framework_id=cycle.framework_id, number=number
    )
    return cycle, goal


def goal_across(cycle: Cycle, goal: PolicyGoal, *, status: str = "", state: str = ""):
    """The goal's determinations of every jurisdiction of the cycle, by jurisdiction name;
    only those of `status` (fully / partially / not met) and `state` (a board state) when
    given."""
    rows = with_board_state(
        GoalDetermination.objects.filter(assessment__cycle=cycle, goal=goal)
    ).select_related("assessment__jurisdiction", "approved")
    if status in STATUSES:
        rows = rows.filter(status=status)
    if state in STATES:
        rows = rows.filter(board_state=state)
    return rows.prefetch_related(
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("statute").order_by("position", "pk"),
        )
    ).order_by("assessment__jurisdiction__name", "pk")


def narrative_start(narrative: str) -> str:
    """The first lines of a narrative as a reader skims them: its first NARRATIVE_LINES
    lines with text, at most NARRATIVE_CHARS characters ("…" when cut)."""
    lines = [line.strip() for line in narrative.splitlines() if line.strip()]
    start = " ".join(lines[:NARRATIVE_LINES])
    cut = len(lines) > NARRATIVE_LINES or len(start) > NARRATIVE_CHARS
    return start[:NARRATIVE_CHARS].rstrip() + ("…" if cut else "")
