"""The static publication site of a released cycle (issue 15, docs/publishing.md "Static
site"): plain files with relative links only, so the directory can be copied to any static
host as it is.

    index.html             national tile map (SVG, no JavaScript needed) and national table
    methodology.html       the framework, scoring rules, grading scale, tiers and cutoff
    toolkit.html/.pdf      the national summary
    survey/index.html      the State Survey Charts, one page and one PDF per goal
    states/<code>.html     one page per jurisdiction, with its released PDF (<code>-<year>.pdf)
    style.css, sort.js     the only stylesheet, and the national table's optional sorting;
                           nothing is loaded from elsewhere

Everything is read from `selectors.released_reports(cycle)` once: the site shows exactly
what the released PDFs print, and nothing before the release (embargo). The open-data
package is written beside it, in data/ (reportcards/opendata.py); this writer never touches
that folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from django.template.loader import render_to_string

from assessments.models import Cycle

from . import edition, selectors, survey, tile_map, toolkit_text
from .pdf.survey_chart import survey_chart_pdf, toolkit_pdf
from .selectors import NothingReleased

Progress = Callable[[int, str], None]  # (percent done, what is being written)


def state_page(code: str) -> str:
    return f"states/{code.lower()}.html"


def state_pdf(code: str, year: int) -> str:
    return f"states/{code.lower()}-{year}.pdf"


def chart_page(chart: survey.SurveyChart) -> str:
    return f"survey/{chart.slug}.html"


def chart_pdf(chart: survey.SurveyChart) -> str:
    return f"survey/{chart.slug}.pdf"


def jurisdiction_page(report: selectors.ReleasedReport) -> str:
    """The page of one jurisdiction (states/<code>.html): its figures, its PDF and its HTML
    edition (the card the PDF printed, as an accessible page)."""
    card = report.card
    return _render(
        "site/jurisdiction.html",
        root="../",
        card=card,
        pdf=Path(state_pdf(card.code, card.year)).name,
        version=report.published.version,
        edition=edition.render_article(card),
        edition_style=edition.render_style(),
    )


def _render(template: str, *, root: str, **context) -> str:
    return render_to_string(template, {"root": root, **context})


@dataclass
class SiteWriter:
    directory: Path
    year: int
    progress: Progress

    def write(self, name: str, content: str | bytes) -> None:
        path = self.directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    def page(self, name: str, template: str, **context) -> None:
        root = "../" * name.count("/")
        self.write(name, _render(template, root=root, year=self.year, **context))


def write_site(cycle: Cycle, directory, progress: Progress | None = None) -> None:
    """Write the cycle's static site into `directory` (created if missing; files of an
    earlier run are overwritten). NothingReleased before the cycle's release."""
    reports = selectors.released_reports(cycle)
    if not reports:
        raise NothingReleased(f"The {cycle.year} cycle has not been released yet.")
    writer = SiteWriter(Path(directory), cycle.year, progress or (lambda percent, message: None))
    cards = [report.card for report in reports]
    charts = survey.survey_charts(cards)
    toolkit = survey.national_toolkit(cards)
    writer.progress(0, "National map and table")
    _write_national(writer, reports, charts, toolkit)
    _write_charts(writer, charts, cards[0].as_of)
    _write_states(writer, reports)
    writer.progress(100, f"Site written: {len(reports)} jurisdictions, {len(charts)} charts")


def _write_national(writer: SiteWriter, reports, charts, toolkit) -> None:
    rows = [
        (r.card.code, r.card.jurisdiction, r.card.grade, state_page(r.card.code)) for r in reports
    ]
    writer.write("style.css", render_to_string("site/style.css"))
    writer.write("sort.js", render_to_string("site/sort.js"))
    writer.page(
        "index.html",
        "site/index.html",
        reports=reports,
        tiles=tile_map.tiles(rows),
        map_width=tile_map.WIDTH,
        map_height=tile_map.HEIGHT,
        toolkit=toolkit,
    )
    method = toolkit.methodology
    writer.page("methodology.html", "site/methodology.html", method=method, **_method(method))
    writer.page("toolkit.html", "site/toolkit.html", toolkit=toolkit, **_toolkit(toolkit))
    writer.write("toolkit.pdf", toolkit_pdf(toolkit))
    groups = groupby(charts, key=lambda chart: f"Issue {chart.issue_number}: {chart.issue_title}")
    writer.page(
        "survey/index.html",
        "site/survey_index.html",
        groups=[(title, list(group)) for title, group in groups],
    )


def _method(method: survey.Methodology) -> dict:
    return {
        "method_lines": toolkit_text.methodology_lines(method),
        "scale_rows": toolkit_text.scale_rows(method),
        "area_rows": toolkit_text.issue_area_rows(method),
    }


def _toolkit(toolkit: survey.Toolkit) -> dict:
    return {
        "average_line": toolkit_text.national_average_line(toolkit),
        "average_rows": toolkit_text.issue_average_rows(toolkit),
        "grade_rows": toolkit_text.grade_rows(toolkit),
        **_method(toolkit.methodology),
    }


def _write_charts(writer: SiteWriter, charts, as_of) -> None:
    for index, chart in enumerate(charts, start=1):
        writer.page(chart_page(chart), "site/survey_chart.html", chart=chart)
        writer.write(chart_pdf(chart), survey_chart_pdf(chart, as_of=as_of))
        writer.progress(5 + 45 * index // len(charts), f"Survey chart {chart.number}")


def _write_states(writer: SiteWriter, reports) -> None:
    for index, report in enumerate(reports, start=1):
        card = report.card
        writer.write(state_page(card.code), jurisdiction_page(report))
        with report.published.pdf.open("rb") as handle:
            writer.write(state_pdf(card.code, card.year), handle.read())
        writer.progress(50 + 50 * index // len(reports), f"{card.jurisdiction}")
