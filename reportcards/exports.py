"""The national table as CSV: the dashboard's download and the cycle export's scores.csv.

One writer for both, so the two files agree column for column.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from assessments import scoring
from assessments.models import Cycle

from .national_table import NationalRow, national_rows


def csv_header(issue_numbers: list[int], categories: list[str]) -> list[str]:
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


def points_text(value) -> str:
    """A score as the report card prints it (16, 8.5); empty when there is none."""
    return "" if value in (None, "") else scoring.fmt(Decimal(str(value)))


def csv_row(row: NationalRow, issue_numbers: list[int], categories: list[str]) -> list[str]:
    issues = {issue["number"]: issue for issue in row.issues}
    return [
        row.code,
        row.name,
        *(points_text(issues.get(n, {}).get("score")) for n in issue_numbers),
        *(issues.get(n, {}).get("grade", "") for n in issue_numbers),
        *(points_text(row.extra_credit.get(code)) for code in categories),
        points_text(row.extra_credit.get("total")),
        points_text(row.total),
        row.grade,
        str(row.rank),
        str(row.tied),
        str(row.tier),
        points_text(row.change),
        str(row.synthetic),
    ]


def write_scores_csv(out, cycle: Cycle, rows: list[NationalRow]) -> list[str]:
    """`rows` as CSV into `out` (a response or a text buffer), with a column for each
    issue area and extra-credit category of the cycle's framework; its header."""
    framework = cycle.framework
    issue_numbers = list(framework.issue_areas.order_by("number").values_list("number", flat=True))
    categories = list(
        framework.extra_credit_categories.order_by("code").values_list("code", flat=True)
    )
    header = csv_header(issue_numbers, categories)
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(csv_row(row, issue_numbers, categories))
    return header


def scores_csv(cycle: Cycle) -> str:
    """Every jurisdiction of the cycle, best first, as CSV text."""
    text = io.StringIO()
    write_scores_csv(text, cycle, national_rows(cycle))
    return text.getvalue()
