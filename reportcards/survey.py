"""State Survey Charts and the national toolkit of a released cycle (issue 15).

Shared Hope publishes, beside each state's card, a State Survey Chart for every policy goal
(every jurisdiction's status, points and the statutes cited for it) and a national toolkit
(methodology, national and per-issue-area averages, grade distribution). Both are built
here from the released report cards (`ReportCard`s as printed, see
`reportcards.selectors.released_reports`) in one pass, with no database access: whatever
prints them (the PDFs of reportcards/pdf/survey_chart.py, the app's pages, the static site)
shows exactly the figures of the released PDFs.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessments import scoring

from .pdf.data import FrameworkFacts, Goal, ReportCard

AVERAGE_STEP = Decimal("0.1")  # averages print with one decimal: 57.9


@dataclass(frozen=True)
class SurveyRow:
    """One jurisdiction's determination of a goal."""

    code: str
    jurisdiction: str
    status: str
    points: Decimal
    max_points: Decimal
    citations: tuple[str, ...]  # "Miss. Code Ann. § 97-3-54.1(1)(c)", each once

    @property
    def status_label(self) -> str:
        return scoring.Status(self.status).label


@dataclass(frozen=True)
class SurveyChart:
    """One policy goal across every released jurisdiction, by jurisdiction name."""

    year: int
    number: str
    text: str
    issue_number: int
    issue_title: str
    rows: tuple[SurveyRow, ...]

    @property
    def slug(self) -> str:
        """For file names and anchors: goal-3-2."""
        return "goal-" + self.number.replace(".", "-")

    def with_status(self, status: str) -> tuple[SurveyRow, ...]:
        return tuple(row for row in self.rows if row.status == status)

    @property
    def counts(self) -> tuple[tuple[str, int], ...]:
        """(status label, number of jurisdictions), for every status, best first."""
        return tuple((status.label, len(self.with_status(status))) for status in scoring.Status)


def _citations(goal: Goal) -> tuple[str, ...]:
    cited = (f"{quote.citation}{quote.pinpoint}" for quote in goal.quotes)
    return tuple(dict.fromkeys(cited))


def survey_charts(cards: Sequence[ReportCard]) -> tuple[SurveyChart, ...]:
    """A chart for every goal of the cards' framework, in the framework's order, each
    listing every card's determination (one pass over the cards)."""
    if not cards:
        return ()
    rows: dict[str, list[SurveyRow]] = {}
    for card in sorted(cards, key=lambda card: card.jurisdiction):
        for goal in card.goals:
            rows.setdefault(goal.number, []).append(
                SurveyRow(
                    code=card.code,
                    jurisdiction=card.jurisdiction,
                    status=goal.status,
                    points=goal.points,
                    max_points=goal.max_points,
                    citations=_citations(goal),
                )
            )
    first = cards[0]
    return tuple(
        SurveyChart(
            year=first.year,
            number=goal.number,
            text=goal.text,
            issue_number=issue.number,
            issue_title=issue.title,
            rows=tuple(rows[goal.number]),
        )
        for issue in first.issues
        for goal in issue.goals
    )


# The national toolkit


@dataclass(frozen=True)
class IssueAverage:
    number: int
    title: str
    average: Decimal
    max: Decimal
    goal_count: int

    @property
    def percent(self) -> Decimal:
        return _one_decimal(self.average * 100 / self.max) if self.max else Decimal("0")


@dataclass(frozen=True)
class Methodology:
    """How the framework grades, from the framework facts every released card carries."""

    framework: FrameworkFacts
    year: int
    cutoff: datetime.date  # legislation enacted by this day is graded
    issue_areas: tuple[tuple[int, str, int, Decimal], ...]  # number, title, goals, maximum


@dataclass(frozen=True)
class Toolkit:
    methodology: Methodology
    jurisdiction_count: int
    national_average: Decimal
    issue_averages: tuple[IssueAverage, ...]
    grade_distribution: tuple[tuple[str, int], ...]  # every grade of the scale, best first


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(AVERAGE_STEP, rounding=ROUND_HALF_UP)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return _one_decimal(sum(values, Decimal("0")) / len(values)) if values else Decimal("0")


def methodology(card: ReportCard) -> Methodology:
    return Methodology(
        framework=card.framework,
        year=card.year,
        cutoff=card.as_of,
        issue_areas=tuple(
            (issue.number, issue.title, len(issue.goals), issue.max) for issue in card.issues
        ),
    )


def national_toolkit(cards: Sequence[ReportCard]) -> Toolkit | None:
    """The national summary of the released cards; None when nothing is released."""
    if not cards:
        return None
    method = methodology(cards[0])
    grades = Counter(card.grade for card in cards)
    return Toolkit(
        methodology=method,
        jurisdiction_count=len(cards),
        national_average=_mean([card.total for card in cards]),
        issue_averages=tuple(
            IssueAverage(
                number=issue.number,
                title=issue.title,
                average=_mean([card.issues[index].score for card in cards]),
                max=issue.max,
                goal_count=len(issue.goals),
            )
            for index, issue in enumerate(cards[0].issues)
        ),
        grade_distribution=tuple(
            (grade, grades[grade]) for grade, _ in method.framework.rules.scale.grades
        ),
    )
