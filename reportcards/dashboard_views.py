"""The national dashboard of a cycle: the table with filters and charts, its CSV, and one
jurisdiction's standing with highlights suggested from national data."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments import national, scoring, selectors
from assessments.models import Assessment, Cycle
from assessments.page_lookups import cycle_or_404

from .charts import bar_chart
from .exports import write_scores_csv
from .national_table import (
    GRADES,
    SORT_KEYS,
    TIERS,
    Filters,
    NationalRow,
    distribution,
    national_rows,
)

# The direction a first click on a column's header sorts in: numbers best first.
FIRST_CLICK = {"rank": "rank", "name": "name", "total": "-total", "change": "-change"}


def sort_links(filters: Filters) -> dict[str, dict]:
    """Per column: the link that sorts by it (a second click reverses) and its aria-sort."""
    links = {}
    for key in SORT_KEYS:
        state, target = "none", FIRST_CLICK[key]
        if filters.sort.lstrip("-") == key:
            descending = filters.sort.startswith("-")
            state = "descending" if descending else "ascending"
            target = key if descending else "-" + key
        links[key] = {"url": filters.query(sort=target), "aria_sort": state}
    return links


def charts(rows: list[NationalRow], filters: Filters) -> tuple[dict, dict]:
    """The grade and tier distributions; each bar links to the table filtered by it."""
    grades, tiers = distribution(rows)
    grade_chart = bar_chart("Jurisdictions by grade", list(grades.items()))
    tier_chart = bar_chart(
        "Jurisdictions by tier", [(scoring.tier_label(tier), n) for tier, n in tiers.items()]
    )
    for bar, grade in zip(grade_chart["bars"], GRADES, strict=True):
        bar["url"] = filters.query(grade=grade)
    for bar, tier in zip(tier_chart["bars"], TIERS, strict=True):
        bar["url"] = filters.query(tier=tier)
    return grade_chart, tier_chart


@require_safe
def dashboard(request, year: int):
    """The jurisdictions with scores, distributions and national goal counts."""
    cycle = cycle_or_404(year, "framework", "previous")
    filters = Filters.from_query(request.GET)
    state = selectors.score_state(cycle)
    rows = national_rows(cycle)
    grade_chart, tier_chart = charts(rows, filters)
    fully_met_counts = state.fully_met_counts if state else {}
    context = {
        "cycle": cycle,
        "cycles": list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
        "state": state,
        "rows": filters.apply(rows),
        "total_count": len(rows),
        "synthetic_count": sum(row.synthetic for row in rows),
        "filters": filters,
        "sort_links": sort_links(filters),
        "grades": GRADES,
        "tiers": [(tier, scoring.tier_label(tier)) for tier in TIERS],
        "grade_chart": grade_chart,
        "tier_chart": tier_chart,
        "goal_groups": national.goal_counts_by_issue(cycle, fully_met_counts) if rows else [],
        "counted": state.jurisdiction_count if state else 0,
    }
    return render(request, "reportcards/dashboard.html", context)


@require_safe
def dashboard_csv(request, year: int):
    """The dashboard's table as CSV, with the same filters and order as the page."""
    cycle = cycle_or_404(year, "framework", "previous")
    rows = Filters.from_query(request.GET).apply(national_rows(cycle))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scores-{cycle.year}.csv"'
    write_scores_csv(response, cycle, rows)
    return response


def _assessment_or_404(cycle: Cycle, code: str) -> Assessment:
    assessment = (
        Assessment.objects.select_related("jurisdiction")
        .filter(cycle=cycle, jurisdiction__code=code.upper())
        .first()
    )
    if assessment is None:
        raise Http404(f"No {cycle.year} assessment for “{code}”.")
    return assessment


def _standing(cycle: Cycle, assessment: Assessment, snapshot, state) -> dict:
    """Issue scores with their titles, extra credit per category, suggested highlights."""
    areas = {area.number: area.title for area in cycle.framework.issue_areas.all()}
    categories = cycle.framework.extra_credit_categories.all()
    highlights = national.suggested_highlights(
        year=cycle.year,
        previous_year=cycle.previous.year if cycle.previous else None,
        rank=snapshot.rank,
        tied=snapshot.tied,
        change=snapshot.change,
        fully_met_goals=national.fully_met_goals(assessment),
        fully_met_counts=state.fully_met_counts if state else {},
    )
    return {
        "row": NationalRow.from_snapshot(snapshot, synthetic=assessment.synthetic),
        "issues": [{**issue, "title": areas.get(issue["number"], "")} for issue in snapshot.issues],
        "extra_credit": [(c.label, snapshot.extra_credit.get(c.code)) for c in categories],
        "highlights": highlights,
    }


@require_safe
def dashboard_jurisdiction(request, year: int, code: str):
    """One jurisdiction's stored scores with highlights suggested from national data."""
    cycle = cycle_or_404(year, "framework", "previous")
    assessment = _assessment_or_404(cycle, code)
    snapshot = selectors.snapshot_for(cycle, code)
    state = selectors.score_state(cycle)
    has_previous = (
        cycle.previous is not None
        and Assessment.objects.filter(
            cycle=cycle.previous, jurisdiction=assessment.jurisdiction
        ).exists()
    )
    context = {
        "cycle": cycle,
        "assessment": assessment,
        "jurisdiction": assessment.jurisdiction,
        "snapshot": snapshot,
        "state": state,
        "has_previous": has_previous,
        **(_standing(cycle, assessment, snapshot, state) if snapshot else {}),
    }
    return render(request, "reportcards/dashboard_jurisdiction.html", context)
