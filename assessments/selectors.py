"""Read queries for views, commands, tasks and the PDF; query counts stay flat."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from core.diffs import Change

from .approvals import DOCUMENT_PREFETCH
from .models import (
    AppendixEntry,
    ApprovedStatute,
    Assessment,
    Citation,
    Cycle,
    CycleScoreState,
    ExtraCreditAward,
    GoalDetermination,
    ReviewState,
    ScoreSnapshot,
)
from .placeholders import ScoreFacts


def assessment_for(code: str, year: int) -> Assessment:
    return Assessment.objects.select_related("jurisdiction", "cycle__framework").get(
        jurisdiction__code=code.upper(), cycle__year=year
    )


def assessment_for_export(assessment_id: int) -> Assessment:
    return (
        Assessment.objects.select_related("jurisdiction", "cycle__previous", "texts_approved")
        .prefetch_related(
            Prefetch(
                "determinations",
                queryset=GoalDetermination.objects.select_related("goal", "approved").order_by(
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


# Lists of jurisdictions (the national table, a cycle's assessments) show every state and
# DC on one page; a bigger list is paged so a page's size does not grow with it.
JURISDICTIONS_PER_PAGE = 60


def cycle_snapshots(cycle: Cycle) -> list[ScoreSnapshot]:
    """The stored scores of every jurisdiction in the cycle, best first."""
    return list(ranked_snapshots(cycle))


def ranked_snapshots(cycle: Cycle):
    """The same, as a query to count or slice a page from."""
    return (
        ScoreSnapshot.objects.filter(cycle=cycle)
        .select_related("jurisdiction")
        .order_by("rank", "jurisdiction__name")
    )


def latest_scored_year(cycles: list[Cycle]) -> int | None:
    """The year of the newest of `cycles` whose stored scores count an approved goal. A
    freshly created cycle's scores are all zero (every jurisdiction tied first with an F):
    nothing to show by default until something is approved and recomputed."""
    years = [cycle.year for cycle in cycles]
    return (
        ScoreSnapshot.objects.filter(cycle__year__in=years, approved_goals__gt=0)
        .order_by("-cycle__year")
        .values_list("cycle__year", flat=True)
        .first()
    )


def snapshot_for(cycle: Cycle, code: str) -> ScoreSnapshot | None:
    return (
        ScoreSnapshot.objects.filter(cycle=cycle, jurisdiction__code=code.upper())
        .select_related("jurisdiction")
        .first()
    )


def score_state(cycle: Cycle) -> CycleScoreState | None:
    return CycleScoreState.objects.filter(cycle=cycle).first()


@dataclass(frozen=True)
class CurrentScores:
    """A cycle's stored scores, and whether they are current.

    The one rule every page, command, export and PDF goes by: stored scores are current
    once a recompute has stored them and no change has marked them stale since. Reading
    never recomputes: a page shows stale scores with a note that the recompute (queued
    by the change that made them stale) is running; commands and background jobs that
    must print current numbers call `assessments.recompute.scores_make_current` first.
    """

    state: CycleScoreState | None
    snapshots: list[ScoreSnapshot]

    @property
    def current(self) -> bool:
        return scores_current(self.state)

    def snapshot(self, code: str) -> ScoreSnapshot | None:
        code = code.upper()
        return next((s for s in self.snapshots if s.jurisdiction.code == code), None)


def scores_current(state: CycleScoreState | None) -> bool:
    """Stored scores are current once a recompute stored them and no change since."""
    return state is not None and not state.stale and state.computed_at is not None


def current_scores(cycle: Cycle, *, code: str | None = None) -> CurrentScores:
    """The cycle's score state and stored snapshots (best first); only `code`'s when given."""
    snapshots = [snapshot_for(cycle, code)] if code else cycle_snapshots(cycle)
    return CurrentScores(score_state(cycle), [s for s in snapshots if s is not None])


def synthetic_jurisdiction_ids(cycle: Cycle) -> set[int]:
    return set(
        Assessment.objects.filter(cycle=cycle, synthetic=True).values_list(
            "jurisdiction_id", flat=True
        )
    )


def assessment_overview(code: str, year: int) -> tuple[Assessment, list]:
    """The assessment with its 40 determinations (goal, issue area, last editor) in order."""
    assessment = Assessment.objects.select_related("jurisdiction", "cycle__framework").get(
        jurisdiction__code=code.upper(), cycle__year=year
    )
    determinations = list(
        assessment.determinations.select_related("goal__issue_area", "last_edited_by", "approved")
        .defer("approved__document")
        .order_by("goal__ordering")
    )
    return assessment, determinations


def determination_for_editor(code: str, year: int, goal_number: str) -> GoalDetermination:
    return (
        GoalDetermination.objects.select_related(
            "goal__issue_area",
            "assessment__jurisdiction",
            "assessment__cycle__framework",
            "last_edited_by",
            "approved__approved_by",
        )
        .prefetch_related(
            Prefetch("citations", queryset=Citation.objects.select_related("statute")),
            "recommendations",
            "insights",
            "footnotes",
            "tables",
            Prefetch(
                "extra_credit_awards",
                queryset=ExtraCreditAward.objects.select_related("category"),
            ),
        )
        .get(
            assessment__jurisdiction__code=code.upper(),
            assessment__cycle__year=year,
            goal__number=goal_number,
        )
    )


def _open_thread_count() -> Coalesce:
    """The number of a determination's open discussion threads, as a subquery: a join
    and GROUP BY over every selected column would cost more to plan than to run. The
    thread model belongs to an app above this one, so it is reached through the relation."""
    threads = GoalDetermination._meta.get_field("threads").related_model
    counted = (
        threads.objects.filter(determination=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("determination")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def review_queue(*, cycle_year: int | None = None, jurisdiction: str = ""):
    """Submitted determinations, oldest submission first, with what the list shows (a
    page of them in a fixed number of queries)."""
    queryset = (
        GoalDetermination.objects.filter(review_state="submitted")
        .select_related(
            "goal", "assessment__jurisdiction", "assessment__cycle", "last_edited_by", "approved"
        )
        # What the summary of changes since approval reads (approvals.changes_since_approval).
        .prefetch_related(*DOCUMENT_PREFETCH)
        # Open discussion threads, shown to the reviewer before they open the goal.
        .annotate(open_threads=_open_thread_count())
    )
    if cycle_year:
        queryset = queryset.filter(assessment__cycle__year=cycle_year)
    if jurisdiction:
        queryset = queryset.filter(assessment__jurisdiction__code=jurisdiction.upper())
    return queryset.order_by("updated_at", "id")


@dataclass(frozen=True)
class StatuteChange:
    """A statute whose library wording changed since a goal's approval (unpublished cycles)."""

    determination: GoalDetermination
    approval_id: int
    statute_id: int
    approved_version: int
    current_version: int
    changes: list[Change]  # citation, caption, text: as approved -> as in the library

    @property
    def citation(self) -> str:
        return next(c.new for c in self.changes if c.field == "citation")


STATUTE_WORDING = (("citation", "Citation"), ("caption", "Caption"), ("text", "Text"))


def statute_changes_since_approval(*, determination_ids=None) -> list[StatuteChange]:
    """Goals of open cycles whose counting approval cites a statute at an older version
    than the library's, with what changed (2 queries). Read-only: nothing is flagged in
    the database; published cycles never change."""
    rows = (
        ApprovedStatute.objects.filter(
            approval__determination__approved=F("approval"),
            approval__determination__assessment__cycle__state=Cycle.State.OPEN,
            version__lt=F("statute__version"),
        )
        .select_related(
            "statute",
            "approval__determination__goal",
            "approval__determination__assessment__jurisdiction",
            "approval__determination__assessment__cycle",
        )
        .order_by(
            "approval__determination__assessment__cycle__year",
            "approval__determination__assessment__jurisdiction__code",
            "approval__determination__goal__ordering",
            "statute__citation",
        )
    )
    if determination_ids is not None:
        rows = rows.filter(approval__determination_id__in=list(determination_ids))
    found = []
    for row in rows:
        approved = _approved_wording(row.approval.document, row.statute_id)
        statute = row.statute
        found.append(
            StatuteChange(
                determination=row.approval.determination,
                approval_id=row.approval_id,
                statute_id=row.statute_id,
                approved_version=row.version,
                current_version=statute.version,
                changes=[
                    Change(field, label, str(approved.get(field, "")), getattr(statute, field))
                    for field, label in STATUTE_WORDING
                ],
            )
        )
    return found


def _approved_wording(document: dict, statute_id: int) -> dict:
    for citation in document.get("citations", []):
        statute = citation.get("statute") or {}
        if statute.get("id") == statute_id:
            return statute
    return {}


def texts_review_queue(*, cycle_year: int | None = None, jurisdiction: str = ""):
    """Assessments whose state texts wait for review, oldest first."""
    queryset = Assessment.objects.filter(texts_state=ReviewState.SUBMITTED).select_related(
        "jurisdiction", "cycle", "texts_edited_by"
    )
    if cycle_year is not None:
        queryset = queryset.filter(cycle__year=cycle_year)
    if jurisdiction:
        queryset = queryset.filter(jurisdiction__code__iexact=jurisdiction)
    return list(queryset.order_by("updated_at", "id")[:50])


def score_facts(snapshot: ScoreSnapshot, state: CycleScoreState | None, cycle: Cycle) -> ScoreFacts:
    """The figures placeholders are filled with and typed facts are checked against: the
    snapshot the card prints, and the cycle's fully-met counts."""
    previous = cycle.previous if snapshot.change is not None else None
    return ScoreFacts(
        rank=snapshot.rank,
        tied=snapshot.tied,
        tier=snapshot.tier,
        score=snapshot.total,
        grade=snapshot.grade,
        change=snapshot.change,
        previous_year=previous.year if previous else None,
        fully_met_counts=dict(state.fully_met_counts or {}) if state else {},
    )


def score_facts_for(assessment: Assessment) -> ScoreFacts | None:
    """The stored figures of the assessment's jurisdiction (None before a recompute)."""
    scores = current_scores(assessment.cycle, code=assessment.jurisdiction.code)
    snapshot = scores.snapshot(assessment.jurisdiction.code)
    return score_facts(snapshot, scores.state, assessment.cycle) if snapshot else None
