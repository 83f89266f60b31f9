"""The State Survey Charts and the national toolkit of a released cycle, for staff (every
role): the same figures the static site and the PDFs print, read from the released cards
(`selectors.released_reports`); before the release (or during an embargo) the pages say so.

Thin: the charts and the toolkit are `reportcards.survey`'s, their wording
`reportcards.toolkit_text`'s.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments.page_lookups import cycle_or_404

from . import selectors, survey, toolkit_text

ROWS_PER_PAGE = 60  # every jurisdiction of a cycle on one page, as on the goal-across page


def _released_cards(request, cycle):
    """The released cards as printed; none, with the reason shown, while a released version
    has no stored document (published before versions stored one)."""
    try:
        return [report.card for report in selectors.released_reports(cycle)]
    except selectors.DocumentMissing as error:
        messages.error(request, str(error))
        return []


@require_safe
def survey_charts(request, year: int):
    """The national toolkit and a link to the chart of every goal."""
    cycle = cycle_or_404(year)
    cards = _released_cards(request, cycle)
    toolkit = survey.national_toolkit(cards)
    context = {"cycle": cycle, "toolkit": toolkit, "charts": survey.survey_charts(cards)}
    if toolkit is not None:
        context |= {
            "average_line": toolkit_text.national_average_line(toolkit),
            "average_rows": toolkit_text.issue_average_rows(toolkit),
            "grade_rows": toolkit_text.grade_rows(toolkit),
            "method_lines": toolkit_text.methodology_lines(toolkit.methodology),
            "scale_rows": toolkit_text.scale_rows(toolkit.methodology),
            "area_rows": toolkit_text.issue_area_rows(toolkit.methodology),
        }
    return render(request, "reportcards/survey_charts.html", context)


@require_safe
def survey_chart(request, year: int, number: str):
    """One goal's State Survey Chart: every released jurisdiction, by name."""
    cycle = cycle_or_404(year)
    cards = _released_cards(request, cycle)
    charts = {chart.number: chart for chart in survey.survey_charts(cards)}
    chart = charts.get(number)
    if cards and chart is None:
        raise Http404(f"The {year} framework has no policy goal {number}.")
    page = Paginator(chart.rows if chart else [], ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reportcards/survey_chart.html",
        {"cycle": cycle, "number": number, "chart": chart, "page": page},
    )
