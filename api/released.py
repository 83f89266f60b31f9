"""The released figures the API publishes, and nothing else.

Until the foundation's `reportcards.selectors.released_reports` lands on main, the same
shape built from `released_cards` and the card data; after the rebase this module only
re-exports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportcards.models import PublishedReportCard
from reportcards.pdf.data import ReportCard, report_card_data
from reportcards.selectors import released_cards


@dataclass(frozen=True)
class ReleasedReport:
    published: PublishedReportCard
    card: ReportCard


def released_reports(cycle) -> list[ReleasedReport]:
    reports = [
        ReleasedReport(published, report_card_data(published.assessment))
        for published in released_cards(cycle).values()
    ]
    return sorted(reports, key=lambda report: (report.card.rank, report.card.code))
