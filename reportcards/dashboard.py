"""The national dashboard of a cycle, built on the stored ScoreSnapshot rows.

Every page here reads the snapshots the recompute stored (never scores on the fly), so
what it shows is what the report cards print, with a fixed number of queries.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import national, scoring, selectors
from assessments.models import Assessment, Cycle, ScoreSnapshot

from . import fragments

GRADES = ("A", "B", "C", "D", "F")
TIERS = (1, 2, 3)
# Sort keys and the direction a first click on their column sorts in.
SORTS = {"rank": "rank", "name": "name", "total": "-total", "change": "-change"}
DEFAULT_SORT = "rank"


@dataclass(frozen=True)
class NationalRow:
    code: str
    name: str
    issues: list[dict]
    extra_credit: dict
    total: Decimal
    grade: str
    rank: int
    tied: bool
    tier: int
    change: Decimal | None
    synthetic: bool

    @property
    def rank_label(self) -> str:
        return scoring.ordinal(self.rank) + (" (tie)" if self.tied else "")

    @property
    def tier_label(self) -> str:
        return scoring.tier_label(self.tier)

    @property
    def change_label(self) -> str:
        return change_label(self.change)


def change_label(change: Decimal | None) -> str:
    """+0.5, -2, 0; an em dash when there is no previous cycle to compare with."""
    if change is None:
        return "—"
    return ("+" if change > 0 else "") + scoring.fmt(change)


def national_row(snapshot: ScoreSnapshot, *, synthetic: bool) -> NationalRow:
    return NationalRow(
        code=snapshot.jurisdiction.code,
        name=snapshot.jurisdiction.name,
        issues=snapshot.issues,
        extra_credit=snapshot.extra_credit,
        total=snapshot.total,
        grade=snapshot.grade,
        rank=snapshot.rank,
        tied=snapshot.tied,
        tier=snapshot.tier,
        change=snapshot.change,
        synthetic=synthetic,
    )


@dataclass(frozen=True)
class Filters:
    grade: str = ""
    tier: int | None = None
    q: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, query) -> Filters:
        """Unknown values are ignored rather than refused: a stale link still shows a table."""
        grade = query.get("grade", "").strip().upper()
        tier = query.get("tier", "").strip()
        sort = query.get("sort", "").strip()
        return cls(
            grade=grade if grade in GRADES else "",
            tier=int(tier) if tier.isdigit() and int(tier) in TIERS else None,
            q=" ".join(query.get("q", "").split())[:60],
            sort=sort if sort.lstrip("-") in SORTS else DEFAULT_SORT,
        )

    def params(self, **changes) -> dict[str, str]:
        """The query parameters of these filters (defaults left out), with `changes`."""
        values = {"grade": self.grade, "tier": self.tier or "", "q": self.q, "sort": self.sort}
        values.update(changes)
        if values["sort"] == DEFAULT_SORT:
            values["sort"] = ""
        return {key: str(value) for key, value in values.items() if value not in ("", None)}

    def query(self, **changes) -> str:
        params = self.params(**changes)
        return "?" + urlencode(params) if params else "?"

    @property
    def active(self) -> bool:
        return bool(self.grade or self.tier or self.q)


def filter_rows(rows, filters: Filters) -> list[NationalRow]:
    needle = filters.q.casefold()
    return [
        row
        for row in rows
        if (not filters.grade or row.grade == filters.grade)
        and (filters.tier is None or row.tier == filters.tier)
        and (not needle or needle in row.name.casefold() or needle == row.code.casefold())
    ]


def sort_rows(rows, sort: str) -> list[NationalRow]:
    """Sort by rank, name, total or change; "-" first means descending. Ties go by name,
    and jurisdictions without a change (no previous cycle) go last either way."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    by_name = sorted(rows, key=lambda row: row.name)
    if key == "name":
        return sorted(by_name, key=lambda row: row.name, reverse=descending)
    value = {"rank": lambda r: r.rank, "total": lambda r: r.total, "change": lambda r: r.change}
    present = [row for row in by_name if value[key](row) is not None]
    missing = [row for row in by_name if value[key](row) is None]
    # A stable sort on a name-sorted list keeps equal values in name order.
    if descending:
        present.sort(key=lambda row: -value[key](row))
    else:
        present.sort(key=value[key])
    return present + missing


def sort_links(filters: Filters) -> dict[str, dict]:
    """Per column: the link that sorts by it (a second click reverses) and its aria-sort."""
    links = {}
    for key, first in SORTS.items():
        current = filters.sort.lstrip("-") == key
        if current:
            target = key if filters.sort.startswith("-") else "-" + key
            state = "descending" if filters.sort.startswith("-") else "ascending"
        else:
            target, state = first, "none"
        links[key] = {"url": filters.query(sort=target), "aria_sort": state}
    return links


def bar_chart(title: str, bars: list[tuple[str, int]], *, width=320, height=180) -> dict:
    """Geometry of a vertical bar chart, for an inline SVG drawn by the template.

    Server-side and dependency-free: the page needs no JavaScript and reads the same with
    a screen reader (the template prints the counts as text too).
    """
    top, bottom, side = 22, 28, 12
    plot_height = height - top - bottom
    slot = (width - 2 * side) / max(len(bars), 1)
    bar_width = slot * 0.6
    highest = max((count for _, count in bars), default=0) or 1
    drawn = []
    for index, (label, count) in enumerate(bars):
        bar_height = round(plot_height * count / highest, 1)
        x = round(side + index * slot + (slot - bar_width) / 2, 1)
        y = round(top + plot_height - bar_height, 1)
        drawn.append(
            {
                "label": label,
                "count": count,
                "x": x,
                "y": y,
                "width": round(bar_width, 1),
                "height": bar_height,
                "center": round(x + bar_width / 2, 1),
                "count_y": round(y - 5, 1),
            }
        )
    summary = ", ".join(f"{label}: {count}" for label, count in bars)
    return {
        "title": title,
        "description": f"{title}. {summary}.",
        "width": width,
        "height": height,
        "baseline": top + plot_height,
        "label_y": height - 9,
        "bars": drawn,
    }


def distributions(rows) -> tuple[dict, dict]:
    grades = {grade: 0 for grade in GRADES}
    tiers = {tier: 0 for tier in TIERS}
    for row in rows:
        grades[row.grade] = grades.get(row.grade, 0) + 1
        tiers[row.tier] += 1
    grade_chart = bar_chart("Jurisdictions by grade", list(grades.items()))
    tier_chart = bar_chart(
        "Jurisdictions by tier", [(scoring.tier_label(tier), n) for tier, n in tiers.items()]
    )
    for bar, grade in zip(grade_chart["bars"], GRADES, strict=True):
        bar["filter"] = {"grade": grade}
    for bar, tier in zip(tier_chart["bars"], TIERS, strict=True):
        bar["filter"] = {"tier": tier}
    return grade_chart, tier_chart


def _cycle_or_404(year: int) -> Cycle:
    cycle = Cycle.objects.select_related("framework", "previous").filter(year=year).first()
    if cycle is None:
        raise Http404(f"There is no {year} cycle.")
    return cycle


def national_rows(cycle: Cycle) -> list[NationalRow]:
    synthetic = selectors.synthetic_jurisdiction_ids(cycle)
    return [
        national_row(snapshot, synthetic=snapshot.jurisdiction_id in synthetic)
        for snapshot in selectors.cycle_snapshots(cycle)
    ]


@require_GET
def dashboard(request, year: int):
    """The 51 jurisdictions with scores, distributions and national goal counts."""
    cycle = _cycle_or_404(year)
    filters = Filters.from_query(request.GET)
    state = selectors.score_state(cycle)
    content = fragments.render_for_scores(
        "reportcards/_dashboard_content.html",
        state,
        lambda: _dashboard_content(cycle, filters, state),
        vary=tuple(sorted(filters.params().items())),
    )
    return render(
        request,
        "reportcards/dashboard.html",
        {
            "cycle": cycle,
            "cycles": list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
            "state": state,
            "content": content,
        },
    )


def _dashboard_content(cycle, filters: Filters, state) -> dict:
    rows = national_rows(cycle)
    shown = sort_rows(filter_rows(rows, filters), filters.sort)
    grade_chart, tier_chart = distributions(rows)
    for chart in (grade_chart, tier_chart):
        for bar in chart["bars"]:
            bar["url"] = filters.query(**bar["filter"])
    return {
        "cycle": cycle,
        "rows": shown,
        "total_count": len(rows),
        "synthetic_count": sum(row.synthetic for row in rows),
        "filters": filters,
        "sort_links": sort_links(filters),
        "grades": GRADES,
        "tiers": [(tier, scoring.tier_label(tier)) for tier in TIERS],
        "csv_query": filters.query(),
        "state": state,
        "grade_chart": grade_chart,
        "tier_chart": tier_chart,
        "goal_groups": national.goal_counts_by_issue(cycle, state.fully_met_counts if state else {})
        if rows
        else [],
        "counted": state.jurisdiction_count if state else 0,
    }


def csv_header(issue_numbers, categories) -> list[str]:
    return [
        "jurisdiction",
        "name",
        *(f"issue_{n}" for n in issue_numbers),
        *(f"issue_{n}_grade" for n in issue_numbers),
        *(f"extra_credit_{code}" for code in categories),
        "extra_credit_total",
        "total",
        "grade",
        "rank",
        "tied",
        "tier",
        "change",
        "synthetic",
    ]


def csv_row(row: NationalRow, issue_numbers, categories) -> list[str]:
    issues = {issue["number"]: issue for issue in row.issues}

    def number(value) -> str:
        return "" if value in (None, "") else scoring.fmt(Decimal(str(value)))

    return [
        row.code,
        row.name,
        *(number(issues.get(n, {}).get("score")) for n in issue_numbers),
        *(issues.get(n, {}).get("grade", "") for n in issue_numbers),
        *(number(row.extra_credit.get(code)) for code in categories),
        number(row.extra_credit.get("total")),
        number(row.total),
        row.grade,
        str(row.rank),
        str(row.tied),
        str(row.tier),
        number(row.change),
        str(row.synthetic),
    ]


@require_GET
def dashboard_csv(request, year: int):
    """The dashboard's table as CSV, with the same filters and order as the page."""
    cycle = _cycle_or_404(year)
    filters = Filters.from_query(request.GET)
    rows = sort_rows(filter_rows(national_rows(cycle), filters), filters.sort)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scores-{cycle.year}.csv"'
    write_scores_csv(response, cycle, rows)
    return response


def write_scores_csv(out, cycle: Cycle, rows) -> None:
    """The scores table as CSV into `out` (a response or a text buffer); shared with the
    export ZIP so both files agree column for column."""
    issue_numbers = list(
        cycle.framework.issue_areas.order_by("number").values_list("number", flat=True)
    )
    categories = list(
        cycle.framework.extra_credit_categories.order_by("code").values_list("code", flat=True)
    )
    writer = csv.writer(out)
    writer.writerow(csv_header(issue_numbers, categories))
    for row in rows:
        writer.writerow(csv_row(row, issue_numbers, categories))


@require_GET
def dashboard_jurisdiction(request, year: int, code: str):
    """One jurisdiction's stored scores with highlights suggested from national data."""
    cycle = _cycle_or_404(year)
    assessment = (
        Assessment.objects.select_related("jurisdiction")
        .filter(cycle=cycle, jurisdiction__code=code.upper())
        .first()
    )
    if assessment is None:
        raise Http404(f"No {year} assessment for “{code}”.")
    snapshot = selectors.snapshot_for(cycle, code)
    state = selectors.score_state(cycle)
    areas = {area.number: area for area in cycle.framework.issue_areas.all()}
    categories = list(cycle.framework.extra_credit_categories.all())
    issues, extra_credit, highlights = [], [], []
    has_previous = (
        cycle.previous is not None
        and Assessment.objects.filter(
            cycle=cycle.previous, jurisdiction=assessment.jurisdiction
        ).exists()
    )
    if snapshot is not None:
        issues = [
            {**issue, "title": areas[issue["number"]].title if issue["number"] in areas else ""}
            for issue in snapshot.issues
        ]
        extra_credit = [
            (category.label, snapshot.extra_credit.get(category.code)) for category in categories
        ]
        highlights = national.suggested_highlights(
            year=cycle.year,
            previous_year=cycle.previous.year if cycle.previous else None,
            rank=snapshot.rank,
            tied=snapshot.tied,
            change=snapshot.change,
            fully_met_goals=national.fully_met_goals(assessment),
            fully_met_counts=state.fully_met_counts if state else {},
        )
    return render(
        request,
        "reportcards/dashboard_jurisdiction.html",
        {
            "cycle": cycle,
            "assessment": assessment,
            "jurisdiction": assessment.jurisdiction,
            "snapshot": snapshot,
            "row": national_row(snapshot, synthetic=assessment.synthetic) if snapshot else None,
            "issues": issues,
            "extra_credit": extra_credit,
            "highlights": highlights,
            "state": state,
            "has_previous": has_previous,
        },
    )
