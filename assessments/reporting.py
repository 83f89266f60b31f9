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
        "extra_credit": extra_credit_summary(snapshot.extra_credit),
        "base": fmt(snapshot.base),
        "total": fmt(snapshot.total),
        "grade": snapshot.grade,
        "rank": snapshot.rank,
        "tied": snapshot.tied,
        "tier": snapshot.tier,
    }


# The command-line JSON has always carried the 2023 framework's two categories: a framework
# without them reports them as "0.00", so no consumer finds a key gone (issue #13); other
# categories appear under their own codes.
ALWAYS_REPORTED_CATEGORIES = ("youth_18_plus", "clt")


def extra_credit_summary(stored: dict) -> dict:
    """{category code: points, ..., "total": points}, the total last; all "0.00" for a
    framework without extra credit."""
    shown = {code: fmt_str(value) for code, value in stored.items() if code != "total"}
    without_extra_credit = not shown
    for code in ALWAYS_REPORTED_CATEGORIES:
        shown.setdefault(code, "0.00")
    shown["total"] = "0.00" if without_extra_credit else fmt_str(stored.get("total", "0"))
    return shown


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
