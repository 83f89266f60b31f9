"""Score summaries as plain data, for the command line and JSON consumers (DESIGN.md §8)."""

from __future__ import annotations

from decimal import Decimal

from .models import Cycle, ScoreSnapshot
from .recompute import cycle_recompute
from .scoring import fmt
from .selectors import cycle_snapshots, score_state


def current_snapshots(cycle: Cycle) -> list[ScoreSnapshot]:
    """The cycle's snapshots, recomputed first if they are stale or missing."""
    state = score_state(cycle)
    if state is None or state.stale or not state.computed_at:
        cycle_recompute(cycle_id=cycle.id)
    return cycle_snapshots(cycle)


def snapshot_summary(snapshot: ScoreSnapshot) -> dict:
    return {
        "jurisdiction": snapshot.jurisdiction.code,
        "cycle": snapshot.cycle.year,
        "issues": [
            {
                "number": issue["number"],
                "score": fmt_str(issue["score"]),
                "max": fmt_str(issue["max"]),
                "grade": issue["grade"],
            }
            for issue in snapshot.issues
        ],
        "extra_credit": {code: fmt_str(value) for code, value in snapshot.extra_credit.items()},
        "base": fmt(snapshot.base),
        "total": fmt(snapshot.total),
        "grade": snapshot.grade,
        "rank": snapshot.rank,
        "tied": snapshot.tied,
        "tier": snapshot.tier,
    }


def ranking_row(snapshot: ScoreSnapshot) -> dict:
    return {
        "jurisdiction": snapshot.jurisdiction.code,
        "total": fmt(snapshot.total),
        "grade": snapshot.grade,
        "rank": snapshot.rank,
        "tied": snapshot.tied,
        "tier": snapshot.tier,
    }


def fmt_str(value: str) -> str:
    return fmt(Decimal(value))
