"""The open data of a cycle: its released report cards as a Frictionless Data Package.

`write_package(cycle, directory, progress)` writes into `directory`:

    datapackage.json        the package: licence, the "as of" cutoff, and for each CSV file
                            its Table Schema (the data dictionary, reportcards/data_dictionary.py)
    data/jurisdictions.csv  each jurisdiction's released version (number, date, PDF sha256)
    data/scores.csv         issue scores and grades, extra credit, total, grade, rank, tie,
                            tier and change: the columns of the cycle export (exports.py)
    data/determinations.csv per jurisdiction and goal: status, points, maximum
    data/citations.csv      per jurisdiction and goal, the statutes quoted
    data/framework.json     the framework, in the format `load_framework` reads

Only released versions are in it (`selectors.released_reports`: each jurisdiction's latest
release or correction, with the figures its PDF printed); before the release (an embargo)
there is nothing to write and `NothingReleased` says so. The same cycle and versions give
the same bytes: nothing depends on when or where the package is written.

`write_publication` runs every writer of `PUBLICATION_WRITERS` into one directory, the
package first: what the cycle export's `public/` folder and `manage.py export_open_data`
carry.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from assessments.frameworks import framework_document
from assessments.models import Cycle
from assessments.services import WorkflowError

from . import data_dictionary as dictionary
from .exports import points_text, write_scores_csv
from .national_table import NationalRow
from .selectors import (
    DocumentMissing,
    NothingReleased,
    ReleasedReport,
    cycle_release,
    released_reports,
)
from .site import write_site

# What a writer is told as it goes: how far it got (percent of its own work) and what
# it is doing.
Progress = Callable[[int, str], None]

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


class NotReadableAsData(WorkflowError):
    """A released version stored no document of what it printed; the message names it."""


def released_or_refused(cycle: Cycle) -> list[ReleasedReport]:
    try:
        reports = released_reports(cycle)
    except DocumentMissing as error:
        raise NotReadableAsData(str(error)) from None
    if not reports:
        raise NothingReleased(
            f"The {cycle.year} cycle has not been released yet, so there is no open data: "
            "nothing is public before the release (a scheduled release is an embargo). "
            "Release the cycle first."
        )
    return reports


def _write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _jurisdiction_rows(reports: list[ReleasedReport]):
    for report in reports:
        published, card = report.published, report.card
        yield [
            card.code,
            card.jurisdiction,
            str(card.synthetic),
            published.version,
            timezone.localdate(published.published_at).isoformat(),
            published.filename,
            published.sha256,
            card.edition.errata if card.edition else "",
        ]


def _determination_rows(reports: list[ReleasedReport]):
    for report in reports:
        for issue in report.card.issues:
            for goal in issue.goals:
                yield [
                    report.card.code,
                    goal.number,
                    issue.number,
                    goal.status,
                    points_text(goal.points),
                    points_text(goal.max_points),
                    str(goal.safe_harbor),
                ]


def _citation_rows(reports: list[ReleasedReport]):
    for report in reports:
        for goal in report.card.goals:
            for position, quote in enumerate(goal.quotes, start=1):
                yield [
                    report.card.code,
                    goal.number,
                    position,
                    quote.citation,
                    quote.pinpoint,
                    quote.caption,
                    quote.text,
                ]


def _resource(name: str, title: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "path": f"data/{name}.csv",
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _write_tables(cycle: Cycle, reports: list[ReleasedReport], data: Path) -> list[dict]:
    """The four CSV files; their resources in datapackage.json."""
    _write_csv(
        data / "jurisdictions.csv",
        [f["name"] for f in dictionary.jurisdictions_schema()["fields"]],
        _jurisdiction_rows(reports),
    )
    with (data / "scores.csv").open("w", encoding="utf-8", newline="") as handle:
        header = write_scores_csv(
            handle, cycle, [NationalRow.from_card(report.card) for report in reports]
        )
    _write_csv(
        data / "determinations.csv",
        [f["name"] for f in dictionary.determinations_schema()["fields"]],
        _determination_rows(reports),
    )
    _write_csv(
        data / "citations.csv",
        [f["name"] for f in dictionary.citations_schema()["fields"]],
        _citation_rows(reports),
    )
    return [
        _resource(
            "jurisdictions",
            "Jurisdictions",
            "Each jurisdiction's released report card: its version, date and PDF.",
            dictionary.jurisdictions_schema(),
        ),
        _resource(
            "scores",
            "Scores",
            "Each jurisdiction's scores as its report card printed them, best rank first.",
            dictionary.scores_schema(cycle.framework, header),
        ),
        _resource(
            "determinations",
            "Determinations",
            "Each jurisdiction's finding on each policy goal of the framework.",
            dictionary.determinations_schema(),
        ),
        _resource(
            "citations",
            "Citations",
            "The statutes quoted in each goal's analysis.",
            dictionary.citations_schema(),
        ),
    ]


def _write_json(path: Path, value) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def _framework_resource(cycle: Cycle, data: Path) -> dict:
    document = framework_document(cycle.framework)
    _write_json(data / "framework.json", document.model_dump(mode="json"))
    return {
        "name": "framework",
        "path": "data/framework.json",
        "title": f"Framework: {document.name}",
        "description": "The policy goals, their points, the grading scale, tiers and "
        "cutoff rule every card was graded by, in the framework file format "
        "(`manage.py load_framework` reads it).",
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
    }


def _last_change(cycle: Cycle, reports: list[ReleasedReport]) -> str:
    """When the released data last changed: the release, or a later correction."""
    times = [cycle_release(cycle.pk).finished_at]
    times += [report.published.published_at for report in reports]
    return max(times).isoformat()


def _descriptor(cycle: Cycle, reports: list[ReleasedReport], resources: list[dict]) -> dict:
    return {
        "profile": "data-package",
        "name": f"report-cards-{cycle.year}",
        "title": f"Report Cards on Child & Youth Sex Trafficking, {cycle.year}",
        "description": "Every released report card of the cycle: scores, grades, ranks, tiers, "
        "each policy goal's determination and the statutes cited, as each card printed them. "
        "Laws are graded as of the cutoff date (as_of).",
        "created": _last_change(cycle, reports),
        "as_of": cycle.legislative_cutoff.isoformat(),
        "licenses": [LICENSE],
        "resources": resources,
    }


def write_package(cycle: Cycle, directory: Path, progress: Progress) -> None:
    """The cycle's open data into `directory` (which exists); `NothingReleased` before
    the release."""
    reports = released_or_refused(cycle)
    progress(20, f"Writing the open data of {len(reports)} released report cards")
    data = directory / "data"
    data.mkdir(exist_ok=True)
    resources = _write_tables(cycle, reports, data)
    resources.append(_framework_resource(cycle, data))
    progress(90, "Writing datapackage.json")
    _write_json(directory / "datapackage.json", _descriptor(cycle, reports, resources))


# Run in this order into one directory: the package first (the static site links to it).
PUBLICATION_WRITERS: list[Callable[[Cycle, Path, Progress], None]] = [write_package, write_site]


def write_publication(cycle: Cycle, directory: Path, progress: Progress) -> None:
    """Every publication writer into `directory`, each given its share of `progress`."""
    share = 100 // len(PUBLICATION_WRITERS)
    for index, writer in enumerate(PUBLICATION_WRITERS):
        start = index * share

        def scaled(percent: int, message: str, start=start) -> None:
            progress(start + percent * share // 100, message)

        writer(cycle, directory, scaled)
