"""Score summaries as plain data, for the command line and JSON consumers (DESIGN.md §8)."""

from __future__ import annotations

from decimal import Decimal

from .models import Cycle, ScoreSnapshot
from .recompute import scores_make_current
from .scoring import fmt
from .selectors import current_scores


def current_snapshots(cycle: Cycle) -> list[ScoreSnapshot]:
    """The cycle's snapshots, recomputed first unless they are current (for commands)."""
    scores_make_current(cycle=cycle)
    return current_scores(cycle).snapshots


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
