"""Read queries for views, commands, tasks and the PDF; query counts stay flat."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import (
    AppendixEntry,
    Assessment,
    Citation,
    Cycle,
    CycleScoreState,
    ExtraCreditAward,
    GoalDetermination,
    ScoreSnapshot,
)


def cycle_by_year(year: int) -> Cycle:
    return Cycle.objects.select_related("framework").get(year=year)


def assessment_for(code: str, year: int) -> Assessment:
    return Assessment.objects.select_related("jurisdiction", "cycle__framework").get(
        jurisdiction__code=code.upper(), cycle__year=year
    )


def assessment_for_export(assessment_id: int) -> Assessment:
    return (
        Assessment.objects.select_related("jurisdiction", "cycle")
        .prefetch_related(
            Prefetch(
                "determinations",
                queryset=GoalDetermination.objects.select_related("goal").order_by(
                    "goal__ordering"
                ),
            ),
            Prefetch(
                "determinations__citations",
                queryset=Citation.objects.select_related("statute"),
            ),
            "determinations__footnotes",
            "determinations__tables",
            "determinations__recommendations",
            "determinations__insights",
            Prefetch(
                "determinations__extra_credit_awards",
                queryset=ExtraCreditAward.objects.select_related("category"),
            ),
            Prefetch("appendix", queryset=AppendixEntry.objects.select_related("statute")),
            "jurisdiction__pic_scores",
        )
        .get(pk=assessment_id)
    )


def cycle_snapshots(cycle: Cycle) -> list[ScoreSnapshot]:
    """The stored scores of every jurisdiction in the cycle, best first."""
    return list(
        ScoreSnapshot.objects.filter(cycle=cycle)
        .select_related("jurisdiction")
        .order_by("rank", "jurisdiction__name")
    )


def snapshot_for(cycle: Cycle, code: str) -> ScoreSnapshot | None:
    return (
        ScoreSnapshot.objects.filter(cycle=cycle, jurisdiction__code=code.upper())
        .select_related("jurisdiction")
        .first()
    )


def score_state(cycle: Cycle) -> CycleScoreState | None:
    return CycleScoreState.objects.filter(cycle=cycle).first()


def synthetic_jurisdiction_ids(cycle: Cycle) -> set[int]:
    return set(
        Assessment.objects.filter(cycle=cycle, synthetic=True).values_list(
            "jurisdiction_id", flat=True
        )
    )
