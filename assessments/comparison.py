"""Two cycles of one jurisdiction side by side, goal by goal (the cycle comparison page).

On one framework, goals pair by number. When one cycle was opened from the other through
a crosswalk (assessments/crosswalks.py), they pair through the same mapping: each row is a
goal of the newer framework with the older goals that feed it beside it, so like is
compared with like; old goals that feed no new goal are listed apart. Each side is graded
on its own framework's scale. Pure: the view reads the rows, this arranges them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import scoring
from .crosswalk_document import CrosswalkDocument
from .models import Cycle, GoalDetermination

KIND_WORDS = {
    "one_to_one": "one-to-one",
    "merged": "merged",
    "split": "split",
    "new": "new",
}


@dataclass
class ComparedGoal:
    number: str
    text: str
    # The determinations of each side on this row: one, or none when the goal is not in
    # that cycle; through a crosswalk, the old side holds every old goal feeding the row.
    a_side: list[GoalDetermination]
    b_side: list[GoalDetermination]
    kind: str = ""  # through a crosswalk: one_to_one, merged, split or new

    @property
    def a(self) -> GoalDetermination | None:
        return self.a_side[0] if self.a_side else None

    @property
    def b(self) -> GoalDetermination | None:
        return self.b_side[0] if self.b_side else None

    @property
    def reshaped(self) -> bool:
        """Merged, split or new: no one old goal to compare with."""
        return self.kind not in ("", "one_to_one")

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, "")

    @property
    def changed(self) -> bool:
        if self.reshaped:
            return False  # shown as reshaped instead: its parts are not the same question
        if self.a is None or self.b is None:
            return True
        if self.kind:  # on two scales: the same status and the same share of the maximum
            return self.a.status != self.b.status or _share(self.a) != _share(self.b)
        return (self.a.status, self.a.points) != (self.b.status, self.b.points)


def _share(determination: GoalDetermination) -> Decimal:
    maximum = determination.goal.max_points
    return (determination.points / maximum).quantize(Decimal("0.0001")) if maximum else 0


@dataclass
class ComparedIssue:
    number: int
    title: str
    # Each side graded on the scale of its own cycle's framework: {"a": scale, "b": scale}.
    scales: dict[str, scoring.GradingScale]
    goals: list[ComparedGoal] = field(default_factory=list)

    def _total(self, side):
        found = {d.pk: d for goal in self.goals for d in getattr(goal, f"{side}_side")}
        score = sum((d.points for d in found.values()), Decimal("0"))
        maximum = sum((d.goal.max_points for d in found.values()), Decimal("0"))
        return {
            "score": score,
            "max": maximum,
            "grade": scoring.grade(score, maximum, self.scales[side]) if maximum else "",
        }

    @property
    def total_a(self):
        return self._total("a")

    @property
    def total_b(self):
        return self._total("b")

    @property
    def changed(self) -> int:
        return sum(1 for goal in self.goals if goal.changed)


@dataclass
class Comparison:
    issues: list[ComparedIssue]
    crosswalk: CrosswalkDocument | None = None
    old_side: str = ""  # "a" or "b": the side on the older framework, through a crosswalk
    unmatched: list[GoalDetermination] = field(default_factory=list)  # old goals dropped

    @property
    def changed(self) -> int:
        return sum(issue.changed for issue in self.issues)

    @property
    def goal_count(self) -> int:
        return sum(len(issue.goals) for issue in self.issues)

    @property
    def reshaped(self) -> int:
        return sum(goal.reshaped for issue in self.issues for goal in issue.goals)


def crosswalk_between(a: Cycle, b: Cycle) -> tuple[CrosswalkDocument, str] | None:
    """The crosswalk one cycle was opened through from the other, and the older side."""
    for old, new, old_side in ((a, b, "a"), (b, a, "b")):
        if new.previous_id == old.pk and new.crosswalk:
            return CrosswalkDocument.model_validate(new.crosswalk), old_side
    return None


def _grouped(rows: list[tuple[GoalDetermination, ComparedGoal]], scales) -> list[ComparedIssue]:
    """Rows under the issue area of the goal each is keyed by, in goal order."""
    issues: dict[int, ComparedIssue] = {}
    for determination, row in sorted(
        rows, key=lambda pair: (pair[0].goal.ordering, pair[0].goal.number)
    ):
        area = determination.goal.issue_area
        issue = issues.setdefault(area.number, ComparedIssue(area.number, area.title, scales))
        issue.goals.append(row)
    return [issues[number] for number in sorted(issues)]


def compare_goals(determinations_a, determinations_b, scales) -> Comparison:
    """Pair two assessments' determinations by goal number, grouped by issue area; `scales`
    are the grading scales of the two sides ({"a": ..., "b": ...}).

    Goals are matched by number, so a goal the later framework added or dropped shows
    up with one side empty (and counts as changed).
    """
    by_number_a = {d.goal.number: d for d in determinations_a}
    by_number_b = {d.goal.number: d for d in determinations_b}
    rows = [
        (
            determination,
            ComparedGoal(
                number,
                determination.goal.text,
                [by_number_a[number]] if number in by_number_a else [],
                [by_number_b[number]] if number in by_number_b else [],
            ),
        )
        for number, determination in {**by_number_a, **by_number_b}.items()
    ]
    return Comparison(_grouped(rows, scales))


def compare_through_crosswalk(
    determinations_a, determinations_b, scales, crosswalk: CrosswalkDocument, old_side: str
) -> Comparison:
    """One row per goal of the newer side's framework, with the older side's goals that
    feed it (by `crosswalk`), grouped by the newer framework's issue areas."""
    old, new = (
        (determinations_a, determinations_b)
        if old_side == "a"
        else (determinations_b, determinations_a)
    )
    old_by_number = {d.goal.number: d for d in old}
    mapping = crosswalk.mapping()
    rows = []
    for determination in new:
        entry = mapping.get(determination.goal.number)
        feeding = [
            old_by_number[n] for n in (entry.from_goals if entry else []) if n in old_by_number
        ]
        sides = (feeding, [determination]) if old_side == "a" else ([determination], feeding)
        goal = determination.goal
        rows.append(
            (
                determination,
                ComparedGoal(goal.number, goal.text, *sides, entry.kind if entry else "new"),
            )
        )
    fed = {n for entry in crosswalk.goals for n in entry.from_goals}
    unmatched = [d for d in old if d.goal.number not in fed]
    unmatched.sort(key=lambda d: d.goal.ordering)
    return Comparison(_grouped(rows, scales), crosswalk, old_side, unmatched)
