"""Opening a cycle on a new framework through a crosswalk (issue #13).

A crosswalk file (assessments/crosswalk_document.py, docs/crosswalk-format.md) says which
goals of the previous cycle's framework feed each goal of the new one. A one-to-one goal
starts as a draft copy of its old goal as last approved, its points scaled to the new
maximum; a merged, split or new goal starts blank, flagged "needs a fresh look", with the
old goals' texts and findings kept beside it for reference, because no old finding
answers the new question on its own.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from simple_history.utils import bulk_create_with_history

from . import models
from .approvals import approved_document
from .crosswalk_document import CrosswalkDocument, CrosswalkFileProblems, validated
from .document_files import UnreadableDocument, read_document_file
from .frameworks import UnknownFramework, framework_named
from .importing import determination_parts
from .models import Framework, GoalDetermination, ReviewState
from .scoring import Status, fmt

QUARTER = Decimal("0.25")


def crosswalk_file(path: Path) -> Any:
    """The data of a YAML or JSON crosswalk file, read within the limits of core.limits;
    checked against the frameworks when the cycle is opened (`checked_crosswalk`)."""
    try:
        return read_document_file(path)
    except UnreadableDocument as error:
        raise CrosswalkFileProblems([str(error)]) from None


def _goal_numbers(framework: Framework) -> list[str]:
    return list(framework.goals.order_by("ordering").values_list("number", flat=True))


def _framework_problem(side: str, data: Any, expected: Framework) -> str | None:
    """Why the file's `from` or `to` is not `expected`, or None."""
    ref = data.get(side) if isinstance(data, dict) else None
    if not isinstance(ref, dict):
        return None  # pydantic says what is missing
    written = (ref.get("year"), ref.get("version"))
    if written == (expected.year, expected.version):
        return None
    role = "the previous cycle's" if side == "from" else "the new cycle's"
    return (
        f"{side}: the crosswalk is for framework {written[0]}:{written[1]}, but {role} "
        f"framework is {expected.year}:{expected.version} ({expected.name})."
    )


def checked_crosswalk(data: Any, old: Framework, new: Framework) -> CrosswalkDocument:
    """The crosswalk from `old` to `new`, checked in full: its own shape, its `from` and
    `to` against the two frameworks and every goal number against their goals; raises
    CrosswalkFileProblems listing every problem."""
    problems = [
        problem
        for side, framework in (("from", old), ("to", new))
        if (problem := _framework_problem(side, data, framework))
    ]
    try:
        document = validated(data, old_goals=_goal_numbers(old), new_goals=_goal_numbers(new))
    except CrosswalkFileProblems as error:
        problems = error.problems + problems
    if problems:
        raise CrosswalkFileProblems(problems)
    return document


def crosswalk_target(data: Any) -> Framework:
    """The framework a crosswalk's `to` names, when the new cycle's is not given."""
    ref = data.get("to") if isinstance(data, dict) else None
    if not isinstance(ref, dict):
        raise CrosswalkFileProblems(["to: the crosswalk must name its new framework."])
    try:
        return framework_named(f"{ref.get('year')}:{ref.get('version')}")
    except UnknownFramework as error:
        raise CrosswalkFileProblems([f"to: {error}"]) from None


def scaled_points(status: str, points: Decimal, old_max: Decimal, new_max: Decimal) -> Decimal:
    """Points for the same finding on the new goal's maximum: fully met scores the new
    maximum and not met 0; partial credit keeps its share of the maximum, rounded to the
    nearest 0.25 (halves up), and stays partial (at least 0.25, below the maximum)."""
    if status == Status.FULLY_MET:
        return new_max
    if status == Status.NOT_MET:
        return Decimal("0")
    if old_max == new_max:
        return points
    share = points * new_max / old_max
    quarters = (share / QUARTER).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * QUARTER
    return min(max(quarters, QUARTER), new_max - QUARTER)


class CrosswalkCopy:
    """The determinations of a new cycle made through a crosswalk from the previous one."""

    def __init__(self, crosswalk: CrosswalkDocument, previous, cycle, *, user):
        self.mapping = crosswalk.mapping()
        self.user = user
        self.old_goals = {goal.number: goal for goal in previous.framework.goals.all()}
        self.new_goals = list(cycle.framework.goals.order_by("ordering"))
        self.categories = dict(
            models.ExtraCreditCategory.objects.filter(framework=cycle.framework).values_list(
                "code", "id"
            )
        )
        self.offered = {
            (row.goal_id, row.category.code): row.max_points
            for row in models.ExtraCreditOpportunity.objects.filter(
                goal__framework=cycle.framework
            ).select_related("category")
        }
        self.old = {}
        for determination in (
            GoalDetermination.objects.filter(assessment__cycle=previous)
            .select_related("approved", "goal")
            .order_by("id")
        ):
            self.old[determination.assessment_id, determination.goal.number] = determination

    def run(self, assessment_ids: dict[int, int], history: dict) -> int:
        """Create every new assessment's determinations and their parts; their count."""
        pairs = [
            (self._old(old_id, goal), self._new(old_id, new_id, goal))
            for old_id, new_id in assessment_ids.items()
            for goal in self.new_goals
        ]
        created = bulk_create_with_history([new for _, new in pairs], GoalDetermination, **history)
        parts: dict[type, list] = {model: [] for model in models.DETERMINATION_PARTS}
        for (old, _), new in zip(pairs, created, strict=True):
            if old is not None and old.approved_id is not None:
                for model, rows in self._parts(old.approved, new).items():
                    parts[model].extend(rows)
        for model, rows in parts.items():
            bulk_create_with_history(rows, model, **history)
        return len(created)

    def _old(self, old_assessment_id: int, goal) -> GoalDetermination | None:
        """The one old goal a one-to-one goal copies, or None."""
        mapping = self.mapping[goal.number]
        if mapping.kind != "one_to_one":
            return None
        return self.old.get((old_assessment_id, mapping.from_goals[0]))

    def _new(self, old_assessment_id: int, new_assessment_id: int, goal) -> GoalDetermination:
        copy = GoalDetermination(
            assessment_id=new_assessment_id,
            goal_id=goal.id,
            review_state=ReviewState.DRAFT,
            version=1,
            last_edited_by_id=self.user.pk,
        )
        mapping = self.mapping[goal.number]
        if mapping.kind != "one_to_one":
            copy.needs_fresh_look = True
            copy.crosswalk_sources = [
                self._source(old_assessment_id, number) for number in mapping.from_goals
            ]
            return copy
        old = self._old(old_assessment_id, goal)
        if old is not None and old.approved_id is not None:
            approved = old.approved
            copy.status = approved.status
            copy.points = scaled_points(
                approved.status, approved.points, old.goal.max_points, goal.max_points
            )
            same_scale = old.goal.max_points == goal.max_points
            copy.points_derived = same_scale and approved.document.get("points_derived", False)
            copy.narrative = approved.document.get("narrative", "")
        return copy

    def _source(self, old_assessment_id: int, number: str) -> dict:
        """An old goal feeding a reshaped goal, as last approved, for the analyst to read."""
        goal = self.old_goals[number]
        old = self.old.get((old_assessment_id, number))
        approved = old.approved if old is not None and old.approved_id else None
        return {
            "goal": number,
            "text": goal.text,
            "max_points": fmt(goal.max_points),
            "status": approved.status if approved else None,
            "points": fmt(approved.points) if approved else None,
            "narrative": approved.document.get("narrative", "") if approved else "",
        }

    def _parts(self, approval, determination: GoalDetermination) -> dict:
        """The approved version's parts as rows of the new determination: citations with
        the statutes they were approved with; extra credit only where the new goal offers
        the category, capped at its new maximum."""
        document = approved_document(approval)
        awards = [
            award.model_copy(update={"points": min(award.points, maximum)})
            for award in document.extra_credit
            if (maximum := self.offered.get((determination.goal_id, award.category)))
        ]
        document = document.model_copy(update={"extra_credit": awards})
        cited = [c.get("statute") or {} for c in approval.document.get("citations", [])]
        statute_ids = [statute["id"] for statute in cited]
        return determination_parts(determination, document, statute_ids, self.categories)
