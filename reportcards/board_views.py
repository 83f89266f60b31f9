"""The cycle board (`/assessments/cycle/<year>/board/`): every jurisdiction's goals counted
by review state per issue area, with its assignment and overdue flag, a progress bar for the
cycle, a weekly chart of approvals, and the same rows as CSV."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments.board import (
    SORTS,
    STATES,
    BoardFilters,
    approvals_per_week,
    board_rows,
    board_view,
    issue_areas,
)
from assessments.page_lookups import cycle_or_404

from .charts import bar_chart

ROWS_PER_PAGE = 25


def _board(request, year: int):
    cycle = cycle_or_404(year)
    areas = issue_areas(cycle)
    filters = BoardFilters.from_query(request.GET, {area.number for area in areas})
    all_rows = board_rows(cycle)
    return cycle, areas, filters, all_rows, board_view(all_rows, filters)


def _sort_links(request, filters: BoardFilters) -> dict[str, dict]:
    """Per column: the link that sorts by it (a second click reverses) and its aria-sort."""
    links = {}
    for key in SORTS:
        state, target = "none", key
        if filters.sort.lstrip("-") == key:
            descending = filters.sort.startswith("-")
            state = "descending" if descending else "ascending"
            target = key if descending else "-" + key
        query = request.GET.copy()
        query["sort"] = target
        query.pop("page", None)
        links[key] = {"url": "?" + query.urlencode(), "aria_sort": state}
    return links


@require_safe
def board(request, year: int):
    cycle, areas, filters, all_rows, rows = _board(request, year)
    shown_areas = [area for area in areas if filters.area in (None, area.number)]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    approved = sum(row.approved for row in all_rows)
    total = sum(row.total for row in all_rows)
    page_rows = [
        {"row": row, "areas": [row.counts(area.number) for area in shown_areas]}
        for row in page.object_list
    ]
    assignees = sorted({name for row in all_rows for name in (row.analyst, row.reviewer) if name})
    context = {
        "cycle": cycle,
        "areas": areas,
        "shown_areas": shown_areas,
        "column_count": 4 * len(shown_areas) + 6,
        "states": STATES,
        "filters": filters,
        "assignees": assignees,
        "page": page,
        "page_rows": page_rows,
        "shown": len(rows),
        "sort_links": _sort_links(request, filters),
        "approved": approved,
        "total": total,
        "percent": round(100 * approved / total) if total else 0,
        "overdue": sum(row.overdue for row in all_rows),
        "chart": bar_chart("Approvals per week", approvals_per_week(cycle), width=560),
        "csv_query": request.GET.urlencode(),
    }
    return render(request, "reportcards/board.html", context)


@require_safe
def board_csv(request, year: int):
    """The board's rows as filtered and sorted on the page, every page of them."""
    cycle, areas, filters, _, rows = _board(request, year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="board-{cycle.year}.csv"'
    writer = csv.writer(response)
    area_columns = [f"{area.number} {label}".lower() for area in areas for label in STATES.values()]
    writer.writerow(
        ["jurisdiction", "name", "analyst", "reviewer", "due", "overdue", *STATES, *area_columns]
    )
    for row in rows:
        totals = row.counts()
        per_area = [row.counts(area.number)[state] for area in areas for state in STATES]
        writer.writerow(
            [
                row.code,
                _cell(row.name),
                _cell(row.analyst),
                _cell(row.reviewer),
                row.due.isoformat() if row.due else "",
                "yes" if row.overdue else "no",
                *totals.values(),
                *per_area,
            ]
        )
    return response


def _cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
