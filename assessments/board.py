"""The cycle board: one row per jurisdiction with the review state of its goals counted per
issue area, its assignment and whether it is overdue (reads only).

The whole board costs a fixed number of queries whatever the number of jurisdictions and
goals: the counts come grouped from the database in one query, the rows and their
jurisdiction-wide assignment in another. A cycle has 51 rows, so sorting and filtering
happen on the built rows and every page, the CSV and the progress bar agree.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import TruncWeek

from .models import (
    Assessment,
    Assignment,
    Cycle,
    DeterminationApproval,
    GoalDetermination,
    IssueArea,
    ReviewEvent,
    ReviewState,
)

CHANGES_REQUESTED = "changes_requested"
# The board's four states, in the order a goal moves through them.
STATES = {
    ReviewState.DRAFT.value: "Draft",
    ReviewState.SUBMITTED.value: "Submitted",
    CHANGES_REQUESTED: "Changes requested",
    ReviewState.APPROVED.value: "Approved",
}
SORTS = ("jurisdiction", "analyst", "reviewer", "due", "progress", "overdue")


@dataclass
class BoardRow:
    code: str
    name: str
    analyst: str
    reviewer: str
    due: datetime.date | None
    # {issue area number: {state: count}}
    areas: dict[int, dict[str, int]] = field(default_factory=dict)
    overdue: bool = False

    def counts(self, area: int | None = None) -> dict[str, int]:
        """The state counts of one issue area, or of all of them."""
        chosen = [self.areas.get(area, {})] if area is not None else list(self.areas.values())
        return {state: sum(counts.get(state, 0) for counts in chosen) for state in STATES}

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    @property
    def approved(self) -> int:
        return self.counts()[ReviewState.APPROVED.value]

    @property
    def progress(self) -> float:
        return self.approved / self.total if self.total else 0.0


@dataclass(frozen=True)
class BoardFilters:
    """What the board's form asks for; unknown values are ignored, never an error page."""

    status: str = ""
    assignee: str = ""
    overdue: bool = False
    area: int | None = None
    sort: str = "jurisdiction"

    @classmethod
    def from_query(cls, query, area_numbers) -> BoardFilters:
        status = query.get("status", "")
        area = query.get("area", "")
        sort = query.get("sort", "jurisdiction")
        return cls(
            status=status if status in STATES else "",
            assignee=query.get("assignee", "").strip()[:150],
            overdue=query.get("overdue") == "1",
            area=int(area) if area.isdigit() and int(area) in area_numbers else None,
            sort=sort if sort.lstrip("-") in SORTS else "jurisdiction",
        )

    def keeps(self, row: BoardRow) -> bool:
        if self.status and not row.counts(self.area)[self.status]:
            return False
        if self.assignee and self.assignee not in (row.analyst, row.reviewer):
            return False
        return not (self.overdue and not row.overdue)


def _latest_event(field_name: str):
    return Subquery(
        ReviewEvent.objects.filter(determination_id=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values(field_name)[:1]
    )


def with_board_state(determinations):
    """Determinations annotated with `last_action` and `last_actor` (their last review
    event's action and who took it) and `board_state`: the review state, except that a
    draft a reviewer sent back is "changes_requested". In the same one query."""
    return determinations.annotate(
        last_action=_latest_event("action"), last_actor=_latest_event("actor__username")
    ).annotate(
        board_state=Case(
            When(
                Q(review_state=ReviewState.DRAFT)
                & Q(last_action=ReviewEvent.Action.REQUEST_CHANGES),
                then=Value(CHANGES_REQUESTED),
            ),
            default="review_state",
            output_field=CharField(),
        )
    )


def _state_counts(cycle: Cycle) -> dict[int, dict[int, dict[str, int]]]:
    """{assessment id: {issue area number: {state: count}}} in one query."""
    grouped = (
        with_board_state(GoalDetermination.objects.filter(assessment__cycle=cycle))
        .order_by()
        .values("assessment_id", "goal__issue_area__number", "board_state")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for entry in grouped:
        counts[entry["assessment_id"]][entry["goal__issue_area__number"]][entry["board_state"]] = (
            entry["n"]
        )
    return counts


def _assignment(field_name: str):
    """The jurisdiction-wide assignment's `field_name` of an outer assessment."""
    return Subquery(
        Assignment.objects.filter(
            cycle_id=OuterRef("cycle_id"),
            jurisdiction_id=OuterRef("jurisdiction_id"),
            goal__isnull=True,
        )
        .order_by()
        .values(field_name)[:1]
    )


def board_rows(cycle: Cycle, *, today: datetime.date | None = None) -> list[BoardRow]:
    """Every jurisdiction of the cycle, by name: two queries."""
    today = today or datetime.date.today()
    counts = _state_counts(cycle)
    assessments = (
        Assessment.objects.filter(cycle=cycle)
        .annotate(
            analyst_name=_assignment("analyst__username"),
            reviewer_name=_assignment("reviewer__username"),
            due=_assignment("due"),
        )
        .order_by("jurisdiction__name")
        .values(
            "pk", "jurisdiction__code", "jurisdiction__name", "analyst_name", "reviewer_name", "due"
        )
    )
    rows = []
    for entry in assessments:
        row = BoardRow(
            code=entry["jurisdiction__code"],
            name=entry["jurisdiction__name"],
            analyst=entry["analyst_name"] or "",
            reviewer=entry["reviewer_name"] or "",
            due=entry["due"],
            areas={area: dict(states) for area, states in counts.get(entry["pk"], {}).items()},
        )
        row.overdue = bool(row.due and row.due < today and row.approved < row.total)
        rows.append(row)
    return rows


def _sort_key(name: str):
    keys = {
        "jurisdiction": lambda row: row.name,
        "analyst": lambda row: (row.analyst == "", row.analyst, row.name),
        "reviewer": lambda row: (row.reviewer == "", row.reviewer, row.name),
        "due": lambda row: (row.due is None, row.due or datetime.date.max, row.name),
        "progress": lambda row: (row.progress, row.name),
        "overdue": lambda row: (not row.overdue, row.name),
    }
    return keys[name]


def board_view(rows: list[BoardRow], filters: BoardFilters) -> list[BoardRow]:
    """The rows the filters keep, in the order asked for ("-" first: reversed)."""
    kept = [row for row in rows if filters.keeps(row)]
    key = filters.sort.lstrip("-")
    return sorted(kept, key=_sort_key(key), reverse=filters.sort.startswith("-"))


def issue_areas(cycle: Cycle) -> list[IssueArea]:
    return list(IssueArea.objects.filter(framework_id=cycle.framework_id).order_by("number"))


def approvals_per_week(cycle: Cycle, *, weeks: int = 12, today=None) -> list[tuple[str, int]]:
    """(week starting, approvals) for the last `weeks` weeks up to the cycle's latest
    approval (or today), empty weeks included: one query."""
    counted = dict(
        DeterminationApproval.objects.filter(determination__assessment__cycle=cycle)
        .annotate(week=TruncWeek("approved_at"))
        .order_by()
        .values_list("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    by_day = {week.date() if hasattr(week, "date") else week: n for week, n in counted.items()}
    last = max(by_day, default=None) or _monday(today or datetime.date.today())
    starts = [last - datetime.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    return [(start.strftime("%b %d"), by_day.get(start, 0)) for start in starts]


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())
