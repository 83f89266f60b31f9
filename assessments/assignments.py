"""Assignments: who works which jurisdiction (or goal) of a cycle, and by when.

One validator for every way in: the assignments page (bulk form and CSV upload) and
`manage.py assign_work` build `AssignmentRow`s and call `assignments_replace`, which checks
the whole set first and, on any problem, lists every problem with its row and changes
nothing. A row replaces the assignment of its jurisdiction (or of its goal); every
replacement is kept in the assignment's history, with who made it.

A goal's assignment is its own goal assignment if it has one, else its jurisdiction's
(`with_assignees`). An assignment is done when every goal it covers is approved; it is
overdue when its due date has passed before that.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce

from accounts.roles import Role, has_role
from core.limits import (
    ASSIGNMENT_ROWS_MAX,
    CONTROL_CHARACTERS,
    FILE_MAX_BYTES,
    control_character_problem,
)
from core.retry import retry_once

from . import permissions
from .models import Assessment, Assignment, Cycle, GoalDetermination, PolicyGoal, ReviewState
from .permissions import WorkflowError

COLUMNS = ("jurisdiction", "analyst", "reviewer", "due")
OPTIONAL_COLUMNS = ("goal",)
CHANGE_REASON = "Assigned"


class AssignmentProblems(WorkflowError):
    """The rows cannot be applied; `problems` names each one with its row."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class AssignmentRow:
    """One assignment as given: texts, not yet checked. `row` is where it came from (the
    line of a CSV file, the header being row 1)."""

    row: int
    jurisdiction: str
    analyst: str
    reviewer: str
    due: str
    goal: str = ""


@dataclass(frozen=True)
class _Checked:
    jurisdiction_id: int
    goal_id: int | None
    analyst: object
    reviewer: object
    due: datetime.date


def read_assignment_file(data: bytes) -> list[AssignmentRow]:
    """The rows of an uploaded or given CSV file (UTF-8, at most FILE_MAX_BYTES; callers
    read no more than one byte over it)."""
    if len(data) > FILE_MAX_BYTES:
        raise AssignmentProblems(
            [
                f"The file is larger than {FILE_MAX_BYTES:,} bytes, the most an assignment "
                "file may have."
            ]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise AssignmentProblems(
            [f"The file is not UTF-8 text (byte {error.start + 1}); save it as CSV UTF-8."]
        ) from None
    return read_assignment_csv(text)


def read_assignment_csv(text: str) -> list[AssignmentRow]:
    """The rows of a CSV file with the columns jurisdiction, analyst, reviewer, due and an
    optional goal, in any order; a header problem is raised as AssignmentProblems."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS + OPTIONAL_COLUMNS]
    problems = []
    if missing:
        problems.append("Row 1: the header lacks the column(s) " + ", ".join(missing) + ".")
    if unknown:
        problems.append(
            "Row 1: unknown column(s) "
            + ", ".join(repr(name) for name in unknown)
            + f"; the columns are {', '.join(COLUMNS + OPTIONAL_COLUMNS)}."
        )
    if problems:
        raise AssignmentProblems(problems)
    reader.fieldnames = header
    try:
        return _rows(reader)
    except csv.Error as error:  # a NUL byte, an unclosed quote at the end
        raise AssignmentProblems(
            # The line being read when it failed: the reader counts lines once read.
            [f"Line {reader.line_num + 1}: not readable as CSV ({error})."]
        ) from None


def _rows(reader: csv.DictReader) -> list[AssignmentRow]:
    rows = []
    for number, record in enumerate(reader, start=2):  # the row a spreadsheet shows
        if len(rows) >= ASSIGNMENT_ROWS_MAX:
            raise AssignmentProblems(
                [f"The file has more than {ASSIGNMENT_ROWS_MAX:,} rows; split it."]
            )
        values = {name: (record.get(name) or "").strip() for name in COLUMNS + OPTIONAL_COLUMNS}
        if any(values.values()):
            rows.append(AssignmentRow(row=number, **values))
    return rows


def _shown(text: str) -> str:
    """A value as a problem quotes it: a pasted paragraph cut short, control characters
    (named in their own problem) shown as �."""
    text = "".join("\ufffd" if c in CONTROL_CHARACTERS else c for c in text)
    return text if len(text) <= 40 else text[:40] + "…"


def assignments_check(
    cycle: Cycle, rows: list[AssignmentRow], *, numbered: bool = True
) -> list[_Checked]:
    """Every row checked against the cycle, its goals and the users' roles; raises
    AssignmentProblems listing every problem (with its row when `numbered`, once each
    otherwise: the bulk form's rows share their users and date) when there is one."""
    if not rows:
        raise AssignmentProblems(["There is nothing to assign (no rows)."])
    known = _Known.of(cycle, rows)
    problems, checked, seen = [], [], {}
    for row in rows:
        row_problems, result = known.check(row)
        key = (row.jurisdiction.upper(), row.goal)
        if key in seen:
            place = _shown(key[0])
            scope = f"goal {_shown(row.goal)} of {place}" if row.goal else place
            row_problems.append(f"{scope} is assigned again (first in row {seen[key]}).")
        seen.setdefault(key, row.row)
        problems += [
            f"Row {row.row}: {p}" if numbered else p[0].upper() + p[1:] for p in row_problems
        ]
        if result is not None:
            checked.append(result)
    if problems:
        raise AssignmentProblems(list(dict.fromkeys(problems)))
    return checked


@dataclass
class _Known:
    """What the rows may name, read once: the cycle's jurisdictions and goals, the users."""

    jurisdictions: dict[str, int]
    goals: dict[str, int]
    users: dict[str, object]

    @classmethod
    def of(cls, cycle: Cycle, rows: list[AssignmentRow]) -> _Known:
        names = {row.analyst for row in rows} | {row.reviewer for row in rows}
        # A name with a control character is refused for it, and PostgreSQL refuses NUL.
        names = {name for name in names if not control_character_problem(name)}
        return cls(
            jurisdictions=dict(
                Assessment.objects.filter(cycle=cycle).values_list(
                    "jurisdiction__code", "jurisdiction_id"
                )
            ),
            goals=dict(
                PolicyGoal.objects.filter(framework_id=cycle.framework_id).values_list(
                    "number", "id"
                )
            ),
            users={
                user.username: user
                for user in get_user_model().objects.filter(username__in=names, is_active=True)
            },
        )

    def check(self, row: AssignmentRow) -> tuple[list[str], _Checked | None]:
        problems = [
            f"{name} {problem}"
            for name in COLUMNS + OPTIONAL_COLUMNS
            if (problem := control_character_problem(getattr(row, name)))
        ]
        jurisdiction = self.jurisdictions.get(row.jurisdiction.upper())
        if jurisdiction is None:
            problems.append(f"no assessment of “{_shown(row.jurisdiction)}” in this cycle.")
        goal = self.goals.get(row.goal) if row.goal else None
        if row.goal and goal is None:
            problems.append(f"goal “{_shown(row.goal)}” is not a goal of this cycle's framework.")
        analyst = self._user(row.analyst, Role.ANALYST, "analyst", problems)
        reviewer = self._user(row.reviewer, Role.REVIEWER, "reviewer", problems)
        if row.analyst and row.analyst == row.reviewer:
            problems.append(
                f"{_shown(row.analyst)} cannot review their own work; choose another reviewer."
            )
        due = _date(row.due, problems)
        if problems:
            return problems, None
        return [], _Checked(jurisdiction, goal, analyst, reviewer, due)

    def _user(self, username: str, role: Role, column: str, problems: list[str]):
        if not username:
            problems.append(f"the {column} is missing.")
            return None
        user = self.users.get(username)
        if user is None:
            problems.append(f"there is no active user “{_shown(username)}” ({column}).")
        elif not has_role(user, role):
            problems.append(f"{username} is not a{'n' if column == 'analyst' else ''} {column}.")
        return user


def _date(text: str, problems: list[str]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        problems.append(f"due “{_shown(text)}” is not a date written YYYY-MM-DD.")
        return None


@retry_once
def assignments_replace(
    *, cycle_id: int, rows: list[AssignmentRow], user, numbered: bool = True
) -> int:
    """Apply `rows` to the cycle, each replacing its jurisdiction's (or goal's) assignment;
    all or nothing. Returns how many rows were applied. `user` is who assigns (a publisher
    or an admin); None only for the command line, whose operator holds the database."""
    if user is not None:
        permissions.can_assign(user).enforce()
    cycle = Cycle.objects.get(pk=cycle_id)
    checked = assignments_check(cycle, rows, numbered=numbered)
    with transaction.atomic():
        for item in checked:
            _replace(cycle, item, user)
    return len(checked)


def _replace(cycle: Cycle, item: _Checked, user) -> None:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(cycle=cycle, jurisdiction_id=item.jurisdiction_id, goal_id=item.goal_id)
        .first()
    ) or Assignment(cycle=cycle, jurisdiction_id=item.jurisdiction_id, goal_id=item.goal_id)
    wanted = {
        "analyst_id": item.analyst.pk,
        "reviewer_id": item.reviewer.pk,
        "due": item.due,
    }
    if assignment.pk and all(getattr(assignment, k) == v for k, v in wanted.items()):
        return  # the same assignment again: nothing to record
    for name, value in wanted.items():
        setattr(assignment, name, value)
    assignment._history_user = user
    assignment._change_reason = CHANGE_REASON
    assignment.save()


def bulk_rows(codes, *, analyst: str, reviewer: str, due: str) -> list[AssignmentRow]:
    """The bulk form's choice (many jurisdictions → one analyst, reviewer and due date) as
    rows for the one validator (pass numbered=False: the form has no rows to name)."""
    return [
        AssignmentRow(row=n, jurisdiction=code, analyst=analyst, reviewer=reviewer, due=due)
        for n, code in enumerate(codes, start=1)
    ]


# Reads ------------------------------------------------------------------------------------


def assigned_assessments(user, role: str):
    """Assessments with any assignment (of the jurisdiction or a goal) naming `user` as
    `role` ("analyst" or "reviewer"): a cheap first filter, so the per-goal assignment of
    `with_assignees` is worked out only for the goals that can be the user's."""
    return Assessment.objects.filter(
        Exists(
            Assignment.objects.filter(
                cycle_id=OuterRef("cycle_id"),
                jurisdiction_id=OuterRef("jurisdiction_id"),
                **{role: user.pk},
            )
        )
    ).values("pk")


def _assignment_of(field: str, *, goal: bool):
    scope = {"goal": OuterRef("goal")} if goal else {"goal__isnull": True}
    return Subquery(
        Assignment.objects.filter(
            cycle_id=OuterRef("assessment__cycle_id"),
            jurisdiction_id=OuterRef("assessment__jurisdiction_id"),
            **scope,
        )
        .order_by()  # at most one row; the model's ordering would join three tables
        .values(field)[:1]
    )


ASSIGNEE_FIELDS = {"analyst_id": "analyst", "reviewer_id": "reviewer", "due": "due"}


def with_assignees(determinations, *, only=tuple(ASSIGNEE_FIELDS)):
    """Determinations annotated with their assignment: `assigned_analyst_id`,
    `assigned_reviewer_id` and `assigned_due` (or `only` some of them: each costs two
    subqueries to build), the goal's own assignment, else the jurisdiction's; None when
    unassigned. In the same one query."""
    return determinations.annotate(
        **{
            f"assigned_{name}": Coalesce(
                _assignment_of(ASSIGNEE_FIELDS[name], goal=True),
                _assignment_of(ASSIGNEE_FIELDS[name], goal=False),
            )
            for name in only
        }
    )


SORTS = {
    "jurisdiction": ("jurisdiction__name", "goal__ordering"),
    "analyst": ("analyst__username", "jurisdiction__name", "goal__ordering"),
    "reviewer": ("reviewer__username", "jurisdiction__name", "goal__ordering"),
    "due": ("due", "jurisdiction__name", "goal__ordering"),
}


def _covered(*, goal: bool, states=(ReviewState.DRAFT, ReviewState.SUBMITTED)):
    """Count of the goals an outer assignment covers in `states` (by default the ones not
    approved yet): its goal, or (jurisdiction-wide) every goal of its jurisdiction without
    an assignment of its own."""
    goals = GoalDetermination.objects.filter(
        assessment__cycle_id=OuterRef("cycle_id"),
        assessment__jurisdiction_id=OuterRef("jurisdiction_id"),
        review_state__in=states,
    )
    if goal:
        goals = goals.filter(goal_id=OuterRef("goal_id"))
    else:
        own = Assignment.objects.filter(
            cycle_id=OuterRef("assessment__cycle_id"),
            jurisdiction_id=OuterRef("assessment__jurisdiction_id"),
            goal_id=OuterRef("goal_id"),
        )
        goals = goals.filter(~Exists(own))
    counted = goals.order_by().values("assessment_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def cycle_assignments(cycle: Cycle, *, sort: str = "jurisdiction", today=None):
    """The cycle's assignments with `open_goals` (goals covered and not yet approved) and
    `overdue` (due date passed with goals still open), sorted by `sort` (a key of SORTS);
    one query for any page of it."""
    today = today or datetime.date.today()
    return (
        Assignment.objects.filter(cycle=cycle)
        .select_related("jurisdiction", "goal", "analyst", "reviewer")
        .annotate(
            open_goals=Case(
                When(goal__isnull=True, then=_covered(goal=False)),
                default=_covered(goal=True),
            )
        )
        .annotate(overdue=ExpressionWrapper(Q(due__lt=today, open_goals__gt=0), BooleanField()))
        .order_by(*SORTS.get(sort, SORTS["jurisdiction"]), "pk")
    )


def _covered_in(state):
    return Case(
        When(goal__isnull=True, then=_covered(goal=False, states=[state])),
        default=_covered(goal=True, states=[state]),
    )


def assignments_due(today: datetime.date, *, within_days: int = 3):
    """Assignments of open cycles due within `within_days` of `today` (or overdue) with
    goals still open: `drafts` wait for the analyst, `submitted` for the reviewer."""
    return (
        Assignment.objects.filter(
            cycle__state=Cycle.State.OPEN, due__lte=today + datetime.timedelta(days=within_days)
        )
        .select_related("cycle", "jurisdiction", "goal", "analyst", "reviewer")
        .annotate(
            drafts=_covered_in(ReviewState.DRAFT),
            submitted=_covered_in(ReviewState.SUBMITTED),
        )
        .filter(Q(drafts__gt=0) | Q(submitted__gt=0))
        .order_by("due", "jurisdiction__name", "pk")
    )
