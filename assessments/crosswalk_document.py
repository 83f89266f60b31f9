"""The crosswalk file: which goals of one framework feed each goal of the next (issue #13).

The one definition of the format: `new_cycle --crosswalk FILE` validates files against it
(assessments/crosswalks.py), docs/crosswalk.schema.json is generated from it
(`manage.py crosswalk_schema`) and docs/crosswalk-format.md explains it. Pure pydantic,
like the framework file (assessments/framework_document.py), whose goal numbers, strict
objects and plain-words problems it reuses.

Pydantic checks each value; `consistency_problems` checks what spans values (a new goal
mapped twice, a kind that does not fit its old goals, an old goal both fed and dropped)
and, when the two frameworks' goal numbers are given, every goal number against them, on
the raw data, so that one run lists every problem of a file.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import Field

from core import limits

from . import document as doc
from .document import Text, Year, bounded_list
from .framework_document import FrameworkPart, PlainGoalNumber, Required

KINDS = ("one_to_one", "merged", "split", "new")
Kind = Literal["one_to_one", "merged", "split", "new"]
GoalList = bounded_list(PlainGoalNumber, limits.DETERMINATIONS_MAX)


class FrameworkRef(FrameworkPart):
    year: Year = Field(description="The framework's year, as in its file.")
    version: int = Field(ge=1, le=32767, description="Its version as loaded (load_framework).")


class GoalMapping(FrameworkPart):
    goal: PlainGoalNumber = Field(description="A goal of the new (`to`) framework.")
    kind: Kind = Field(
        description="one_to_one: one old goal, feeding only this goal; merged: two or more "
        "old goals; split: one old goal that feeds two or more new goals; new: no old goal."
    )
    from_goals: GoalList = Field(
        default_factory=list,
        alias="from",
        description="The goals of the old (`from`) framework that feed this goal.",
    )
    note: Text = Field("", description="Why the goals map this way, for the analysts.")


class CrosswalkDocument(FrameworkPart):
    format: Literal["report-cards-crosswalk"] = Field(
        description="Says what the file is: always report-cards-crosswalk."
    )
    format_version: Literal[1] = Field(description="The version of this file format.")
    from_framework: FrameworkRef = Field(alias="from", description="The old framework.")
    to_framework: FrameworkRef = Field(alias="to", description="The new framework.")
    illustrative: bool = Field(False, description="An example crosswalk, never a real one.")
    note: Text = Field("", description="Where the mapping comes from; what is not known.")
    goals: Annotated[bounded_list(GoalMapping, limits.DETERMINATIONS_MAX), Required] = Field(
        description="Every goal of the new framework, once."
    )
    dropped: GoalList = Field(
        default_factory=list,
        description="Goals of the old framework that feed no new goal (every old goal is "
        "either in some goal's `from` or here, so none is forgotten).",
    )

    def mapping(self) -> dict[str, GoalMapping]:
        return {row.goal: row for row in self.goals}

    def stored(self) -> dict:
        """The crosswalk as a cycle keeps it (JSON, the file's own keys)."""
        return self.model_dump(mode="json", by_alias=True)


def json_schema() -> dict:
    """The JSON Schema of the crosswalk file, for people who write files elsewhere."""
    return doc.schema_of(CrosswalkDocument)


class CrosswalkFileProblems(doc.FileProblems):
    """Every problem of a crosswalk file, each naming where it is."""


def validated(
    data: Any, *, old_goals: list[str] | None = None, new_goals: list[str] | None = None
) -> CrosswalkDocument:
    """The file's data as a CrosswalkDocument; raises CrosswalkFileProblems listing every
    problem. With `old_goals` and `new_goals` (the two frameworks' goal numbers), every
    goal number is checked against them too."""
    document, problems = doc.validated_as(
        CrosswalkDocument, data, name_item=_item_name, whole="a crosswalk"
    )
    problems += consistency_problems(data)
    if old_goals is not None and new_goals is not None:
        problems += framework_problems(data, old_goals, new_goals)
    if problems:
        raise CrosswalkFileProblems(problems)
    return document


def _item_name(location: tuple, data: Any) -> str | None:
    """A mapping by the new goal it maps ("goal 1.2"); goal lists by place."""
    *_, key, position = location
    if key == "goals":
        written = _number(doc.at(data, location[:-1] + (position, "goal")))
        return f"goal {written}" if written else f"mapping {position + 1}"
    if key == "dropped":
        return f"dropped goal {position + 1}"
    return None


# Checks across values ----------------------------------------------------------------------


def _number(value: Any) -> str | None:
    """A goal number as written, when it is one (YAML reads 1.2 as a number)."""
    return doc.written_goal({"goal": value})


def _rows(data: Any) -> list[dict]:
    value = data.get("goals") if isinstance(data, dict) else None
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _numbers(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [number for item in value if (number := _number(item))]


def _fed_by(data: Any) -> dict[str, list[str]]:
    """{old goal: the new goals it feeds}, as written."""
    feeds: dict[str, list[str]] = {}
    for row in _rows(data):
        new = _number(row.get("goal"))
        for old in dict.fromkeys(_numbers(row.get("from"))):
            feeds.setdefault(old, []).append(new or "?")
    return feeds


def consistency_problems(data: Any) -> list[str]:
    """What spans several values, on the raw data (a wrong value elsewhere does not hide
    it); values of the wrong type are pydantic's to report and skipped here."""
    problems = []
    new_goals = [_number(row.get("goal")) for row in _rows(data)]
    problems += [
        f"goal {number}: the new goal is mapped more than once; map each goal once."
        for number, count in Counter(filter(None, new_goals)).items()
        if count > 1
    ]
    feeds = _fed_by(data)
    for row in _rows(data):
        problems += _kind_problems(row, feeds)
    dropped = _numbers(data.get("dropped") if isinstance(data, dict) else None)
    problems += [
        f"dropped: goal {number} is listed more than once."
        for number, count in Counter(dropped).items()
        if count > 1
    ]
    problems += [
        f"dropped: goal {number} is dropped but feeds goal {', '.join(feeds[number])}; "
        "an old goal is either dropped or feeds new goals."
        for number in dict.fromkeys(dropped)
        if number in feeds
    ]
    if isinstance(data, dict) and _same_framework(data.get("from"), data.get("to")):
        problems.append("to: a crosswalk relates two different frameworks; from and to are one.")
    return problems


def _same_framework(old: Any, new: Any) -> bool:
    return isinstance(old, dict) and isinstance(new, dict) and old == new and bool(old)


def _kind_problems(row: dict, feeds: dict[str, list[str]]) -> list[str]:
    number, kind = _number(row.get("goal")), row.get("kind")
    if number is None or kind not in KINDS:
        return []  # pydantic names what is wrong
    olds = _numbers(row.get("from"))
    where = f"goal {number}"
    problems = [
        f"{where}: from lists goal {old} more than once."
        for old, count in Counter(olds).items()
        if count > 1
    ]
    olds = list(dict.fromkeys(olds))
    listed = ", ".join(olds)
    shared = [old for old in olds if len(feeds.get(old, [])) > 1]
    if kind == "new" and olds:
        problems.append(f"{where}: a new goal has no old goals, but from lists {listed}.")
    elif kind == "merged" and len(olds) < 2:
        problems.append(f"{where}: merged needs two or more old goals in from.")
    elif kind in ("one_to_one", "split") and len(olds) != 1:
        problems.append(f"{where}: {kind} needs exactly one old goal in from.")
    elif kind == "one_to_one" and shared:
        others = [new for new in feeds[olds[0]] if new != number]
        problems.append(
            f"{where}: one_to_one, but goal {olds[0]} also feeds goal {', '.join(others)}; "
            "an old goal feeding several new goals is a split (kind: split on each)."
        )
    elif kind == "split" and not shared:
        problems.append(
            f"{where}: split, but goal {olds[0]} feeds no other new goal; use one_to_one."
        )
    return problems


def framework_problems(data: Any, old_goals: list[str], new_goals: list[str]) -> list[str]:
    """Every goal number of the file against the two frameworks' goals: unknown numbers on
    either side, new goals not mapped, old goals neither feeding nor dropped."""
    old_known, new_known = set(old_goals), set(new_goals)
    problems = []
    mapped = []
    for row in _rows(data):
        number = _number(row.get("goal"))
        if number is None:
            continue
        mapped.append(number)
        if number not in new_known:
            problems.append(f"goal {number}: the new framework has no goal {number}.")
        problems += [
            f"goal {number}: from: the old framework has no goal {old}."
            for old in dict.fromkeys(_numbers(row.get("from")))
            if old not in old_known
        ]
    dropped = _numbers(data.get("dropped") if isinstance(data, dict) else None)
    problems += [
        f"dropped: the old framework has no goal {old}."
        for old in dict.fromkeys(dropped)
        if old not in old_known
    ]
    problems += [
        f"goals: goal {number} of the new framework is not mapped; map it (kind: new when "
        "no old goal feeds it)."
        for number in new_goals
        if number not in mapped
    ]
    accounted = set(_fed_by(data)) | set(dropped)
    problems += [
        f"goal {number} of the old framework feeds no new goal and is not in dropped; "
        "map it or list it under dropped."
        for number in old_goals
        if number not in accounted
    ]
    return problems
