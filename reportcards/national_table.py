"""The national table: one row per jurisdiction of a cycle, read from its stored scores.

Every page and file that lists jurisdictions with their scores (the national table, the
dashboard, its CSV, the cycle export) uses `NationalRow`, so they agree column for
column. Rows come from the ScoreSnapshot rows the recompute stored (never scored on the
fly), with a fixed number of queries. `Filters` is what a page's query string asks for:
a grade, a tier, a name and a sort order.

The provisional view (`provisional_page`) shows the same rows as if every unapproved
version counted, computed in memory (assessments/provisional.py), beside the official
figures; it is never stored, exported or published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator

from assessments import scoring, selectors
from assessments.models import Cycle, ScoreSnapshot
from assessments.provisional import ProvisionalScore, cycle_provisional
from assessments.recompute import score_fields
from core.limits import whole_number

from .pdf.data import ReportCard

GRADES = ("A", "B", "C", "D", "F")
TIERS = (1, 2, 3)
SORT_KEYS = ("rank", "name", "total", "change")
DEFAULT_SORT = "rank"
# What a row takes from its ScoreSnapshot as stored.
STORED_FIELDS = (
    "issues", "extra_credit", "total", "grade", "rank", "tied", "tier", "change",
    "approved_goals",
)  # fmt: skip


@dataclass(frozen=True)
class NationalRow:
    code: str
    name: str
    issues: list[dict]  # as stored: number, score, max, grade
    extra_credit: dict  # category code (and "total") -> points
    total: Decimal
    grade: str
    rank: int
    tied: bool
    tier: int
    change: Decimal | None  # None: no previous cycle to compare with
    approved_goals: int
    synthetic: bool

    @classmethod
    def from_snapshot(cls, snapshot: ScoreSnapshot, *, synthetic: bool) -> NationalRow:
        stored = {name: getattr(snapshot, name) for name in STORED_FIELDS}
        jurisdiction = snapshot.jurisdiction
        return cls(code=jurisdiction.code, name=jurisdiction.name, synthetic=synthetic, **stored)

    @classmethod
    def from_card(cls, card: ReportCard) -> NationalRow:
        """The row of a published version: the figures its report card printed."""
        issues = [
            {"number": i.number, "score": i.score, "max": i.max, "grade": i.grade}
            for i in card.issues
        ]
        extra = {line.code: line.points for line in card.extra_credit}
        return cls(
            code=card.code,
            name=card.jurisdiction,
            issues=issues,
            extra_credit={**extra, "total": card.extra_credit_total},
            total=card.total,
            grade=card.grade,
            rank=card.rank,
            tied=card.tied,
            tier=card.tier,
            change=card.change,
            approved_goals=sum(goal.approved for goal in card.goals),
            synthetic=card.synthetic,
        )

    @property
    def rank_label(self) -> str:
        return scoring.rank_label(self.rank, self.tied)

    @property
    def tier_label(self) -> str:
        return scoring.tier_label(self.tier)

    @property
    def change_label(self) -> str:
        """+0.5, -2, 0; an em dash when there is no previous cycle to compare with."""
        if self.change is None:
            return "—"
        return scoring.signed(self.change)


def national_rows(cycle: Cycle) -> list[NationalRow]:
    """Every jurisdiction with stored scores in the cycle, best first (2 queries)."""
    synthetic = selectors.synthetic_jurisdiction_ids(cycle)
    return [
        NationalRow.from_snapshot(snapshot, synthetic=snapshot.jurisdiction_id in synthetic)
        for snapshot in selectors.cycle_snapshots(cycle)
    ]


@dataclass(frozen=True)
class NationalPage:
    """One page of the national table, best first, and how many rows of the whole table
    are synthetic."""

    page: Page
    rows: list[NationalRow]
    synthetic_count: int


def national_page(cycle: Cycle, page_number: str | None) -> NationalPage:
    """The same few queries however many jurisdictions the cycle has."""
    snapshots = selectors.ranked_snapshots(cycle)
    page = Paginator(snapshots, selectors.JURISDICTIONS_PER_PAGE).get_page(page_number)
    synthetic = selectors.synthetic_jurisdiction_ids(cycle)
    rows = [
        NationalRow.from_snapshot(snapshot, synthetic=snapshot.jurisdiction_id in synthetic)
        for snapshot in page.object_list
    ]
    # Counted by the database (not `jurisdiction_id__in=synthetic`, which Django answers
    # without a query when the set is empty): the page costs the same queries either way.
    synthetic_count = snapshots.filter(
        jurisdiction__assessments__cycle=cycle, jurisdiction__assessments__synthetic=True
    ).count()
    return NationalPage(page, rows, synthetic_count)


@dataclass(frozen=True)
class ProvisionalRow(NationalRow):
    """A row's provisional figures (NationalRow's fields), the official ones beside them
    and how many of its goals have a newer version waiting for approval."""

    official_total: Decimal
    official_grade: str
    official_standing: scoring.Standing
    pending_goals: int

    @classmethod
    def from_score(cls, score: ProvisionalScore, *, synthetic: bool) -> ProvisionalRow:
        fields = score_fields(score.score)
        return cls(
            code=score.jurisdiction.code,
            name=score.jurisdiction.name,
            issues=fields["issues"],
            extra_credit=fields["extra_credit"],
            total=score.score.total,
            grade=score.score.grade,
            rank=score.standing.rank,
            tied=score.standing.tied,
            tier=score.standing.tier,
            change=score.change,
            approved_goals=score.approved_goals,
            synthetic=synthetic,
            official_total=score.official.total,
            official_grade=score.official.grade,
            official_standing=score.official_standing,
            pending_goals=score.pending_goals,
        )

    @property
    def difference(self) -> Decimal:
        return self.total - self.official_total

    @property
    def difference_label(self) -> str:
        """+1.5, -2, 0: the provisional total against the official one."""
        return scoring.signed(self.difference)

    @property
    def moved(self) -> bool:
        """Whether any figure the table shows differs from the official one."""
        return (self.total, self.grade, self.rank_label, self.tier) != (
            self.official_total,
            self.official_grade,
            self.official_standing.rank_label,
            self.official_standing.tier,
        )


@dataclass(frozen=True)
class ProvisionalPage(NationalPage):
    """One page of the provisional view, and how many unapproved goal versions the whole
    table counts."""

    pending_goals: int


def provisional_page(cycle: Cycle, page_number: str | None) -> ProvisionalPage:
    """The national table as if every unapproved version counted, in the official view's
    order (rank, then name) and pages; a fixed number of queries, nothing written."""
    synthetic = selectors.synthetic_jurisdiction_ids(cycle)
    rows = [
        ProvisionalRow.from_score(score, synthetic=score.jurisdiction.pk in synthetic)
        for score in cycle_provisional(cycle)
    ]
    page = Paginator(rows, selectors.JURISDICTIONS_PER_PAGE).get_page(page_number)
    return ProvisionalPage(
        page=page,
        rows=list(page.object_list),
        synthetic_count=sum(row.synthetic for row in rows),
        pending_goals=sum(row.pending_goals for row in rows),
    )


@dataclass(frozen=True)
class Filters:
    grade: str = ""
    tier: int | None = None
    q: str = ""
    sort: str = DEFAULT_SORT  # a key of SORT_KEYS; "-" first means descending

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        """Unknown values are ignored rather than refused: a stale link still shows a table."""
        grade = query.get("grade", "").strip().upper()
        tier = query.get("tier", "").strip()
        sort = query.get("sort", "").strip()
        return cls(
            grade=grade if grade in GRADES else "",
            tier=tier if (tier := whole_number(tier)) in TIERS else None,
            q=" ".join(query.get("q", "").split())[:60],
            sort=sort if sort.lstrip("-") in SORT_KEYS else DEFAULT_SORT,
        )

    def query(self, **changes) -> str:
        """These filters (defaults left out) with `changes`, as a query string."""
        values = {"grade": self.grade, "tier": self.tier or "", "q": self.q, "sort": self.sort}
        values.update(changes)
        if values["sort"] == DEFAULT_SORT:
            values["sort"] = ""
        params = {key: str(value) for key, value in values.items() if value not in ("", None)}
        return "?" + urlencode(params)

    @property
    def active(self) -> bool:
        return bool(self.grade or self.tier or self.q)

    def apply(self, rows: list[NationalRow]) -> list[NationalRow]:
        """The rows these filters keep, in their sort order."""
        return sort_rows([row for row in rows if self.keeps(row)], self.sort)

    def keeps(self, row: NationalRow) -> bool:
        needle = self.q.casefold()
        return (
            (not self.grade or row.grade == self.grade)
            and (self.tier is None or row.tier == self.tier)
            and (not needle or needle in row.name.casefold() or needle == row.code.casefold())
        )


def sort_rows(rows: list[NationalRow], sort: str) -> list[NationalRow]:
    """Sort by rank, name, total or change; "-" first means descending. Ties go by name,
    and jurisdictions without a change (no previous cycle) go last either way."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    by_name = sorted(rows, key=lambda row: row.name, reverse=descending and key == "name")
    if key == "name":
        return by_name
    present = [row for row in by_name if getattr(row, key) is not None]
    missing = [row for row in by_name if getattr(row, key) is None]
    # A stable sort of a name-sorted list keeps equal values in name order.
    present.sort(key=lambda row: -getattr(row, key) if descending else getattr(row, key))
    return present + missing


def distribution(rows: list[NationalRow]) -> tuple[dict[str, int], dict[int, int]]:
    """How many rows have each grade, and each tier."""
    grades = dict.fromkeys(GRADES, 0)
    tiers = dict.fromkeys(TIERS, 0)
    for row in rows:
        grades[row.grade] += 1
        tiers[row.tier] += 1
    return grades, tiers
