"""The framework file: one version of a framework as a document (issue #13).

The one definition of the format: `load_framework` validates files against it
(assessments/frameworks.py), and docs/framework.schema.json is generated from it
(`manage.py framework_schema`); docs/framework-format.md explains it. Pure pydantic, like
the assessment document (assessments/document.py), whose bounded types and plain-words
problems it reuses.

Pydantic checks each value; `consistency_problems` checks what spans values (a goal's
number against its issue area, extra credit against the categories, the order of the
grading scale) on the raw data, so that one run lists every problem of a file.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from core import limits

from . import document as doc
from .document import DocumentPart, GoalNumber, Points, Text, Year, bounded_list, one_line

ISSUE_AREAS_MAX = 20
CATEGORIES_MAX = 20
GRADES_MAX = 12
TEXTS_MAX = 60  # methodology notes, resources, calls to action, each
TIER_PLACES_MAX = 1_000


def _matching(pattern: str, problem: str):
    """A check that the whole value matches `pattern`, saying `problem` when it does not."""

    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise ValueError(problem)
        return value

    return AfterValidator(check)


Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=500),
    _matching(r"https?://\S+", "must be a web address starting with https:// (or http://)"),
]
CategoryCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    _matching(
        r"[a-z][a-z0-9_]{0,31}",
        "a category code is lower-case letters, digits and _, starting with a letter, at "
        "most 32 characters (such as clt)",
    ),
]
PlainGoalNumber = Annotated[
    GoalNumber,
    _matching(
        r"[1-9][0-9]{0,2}\.[1-9][0-9]{0,2}",
        "a goal number is its issue area's number, a dot and the goal's (such as 2.10)",
    ),
]
Percent = doc.decimal_text(str, ge=0, le=100, max_digits=5, decimal_places=2)
Required = Field(min_length=1)


class FrameworkPart(DocumentPart):
    """Every object of the framework file. A key the format does not know is a problem,
    never ignored: a misspelt `safe_harbour: true` would otherwise grade silently wrong."""

    model_config = ConfigDict(extra="forbid")


class Goal(FrameworkPart):
    number: PlainGoalNumber = Field(description="Issue area number, a dot, the goal: 2.10.")
    text: Annotated[Text, Required]
    max_points: Annotated[Points, Field(gt=0)] | None = Field(
        None, description="The goal's maximum; the framework's points_per_goal when left out."
    )
    safe_harbor: bool = False
    issue_brief_url: Url | None = None
    extra_credit: dict[CategoryCode, Annotated[Points, Field(gt=0)]] = Field(
        default_factory=dict,
        max_length=CATEGORIES_MAX,
        description="Extra-credit opportunities: {category code: maximum points}.",
    )


class IssueArea(FrameworkPart):
    number: int = Field(ge=1, le=99)
    title: Annotated[one_line(200), Required]
    short_title: Annotated[one_line(60), Required]
    goals: Annotated[bounded_list(Goal, limits.DETERMINATIONS_MAX), Required]


class ExtraCreditCategory(FrameworkPart):
    code: CategoryCode
    name: Annotated[one_line(80), Required]
    label: Annotated[one_line(80), Required] = Field(description="As printed: “18+ Youth”.")
    description: Text = ""


class GradeStep(FrameworkPart):
    grade: Annotated[one_line(8), Required]
    minimum_percent: Percent = Field(
        description="The lowest percentage of the maximum that earns the grade."
    )


class Tiers(FrameworkPart):
    top: int = Field(ge=0, le=TIER_PLACES_MAX, description="Places in Tier I.")
    bottom: int = Field(ge=0, le=TIER_PLACES_MAX, description="Places in Tier III.")


class CutoffRule(FrameworkPart):
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    description: Annotated[one_line(200), Required] = Field(
        description="The rule in words: “Legislation enacted as of July 1 of the cycle year.”"
    )


class Resource(FrameworkPart):
    title: Annotated[one_line(200), Required]
    text: Text = ""
    url: Url | None = None
    heading: one_line(80) = Field(
        "", description="A label printed above this one, opening a group: “TECHNICAL ASSISTANCE”."
    )
    layout: Literal["titled", "run_in", "plain"] = Field(
        "titled",
        description="As printed: the title on a line of its own above the text (titled), in "
        "capitals at the start of the text (run_in: “TOOLKIT: To see…”), or not at all (plain).",
    )


class FrameworkTexts(FrameworkPart):
    methodology_notes: bounded_list(Annotated[Text, Required], TEXTS_MAX) = Field(
        default_factory=list, description="Paragraphs (Markdown) on how the framework grades."
    )
    resources: bounded_list(Resource, TEXTS_MAX) = Field(default_factory=list)
    calls_to_action: bounded_list(Resource, TEXTS_MAX) = Field(
        default_factory=list, description="Such as a petition to sign."
    )
    # The fixed wording of the printed report card that belongs to the framework's edition.
    safe_harbor_resources: bounded_list(Resource, TEXTS_MAX) = Field(
        default_factory=list, description="Printed under the Safe Harbor scorecard."
    )
    history_intro: Text = Field("", description="Opens the historical background.")
    shift_in_focus: Text = Field("", description="Why this framework: ends the background.")
    shift_in_focus_heading: one_line(120) = Field("", description="Its label: “A SHIFT IN FOCUS”.")
    framework_heading: one_line(120) = Field(
        "", description="Above the framework's summary: “ADVANCED LEGISLATIVE FRAMEWORK”."
    )
    extra_credit_line: one_line(200) = Field(
        "", description="What extra credit rewards, above its maximum in the summary."
    )
    tiers_intro: Text = Field("", description="What the tiers are for.")
    analysis_guide: Text = Field("", description="After the analysis report's introduction.")


class FrameworkDocument(FrameworkPart):
    format: Literal["report-cards-framework"] = Field(
        description="Says what the file is: always report-cards-framework."
    )
    format_version: Literal[1] = Field(description="The version of this file format.")
    year: Year = Field(description="The year the framework was first used.")
    name: Annotated[one_line(120), Required]
    illustrative: bool = Field(
        False, description="An example framework, its texts placeholders: never a real edition."
    )
    note: Text = Field("", description="Where the content comes from; what is not known.")
    points_per_goal: Annotated[Points, Field(gt=0)]
    extra_credit_cap: Annotated[Points, Field(ge=0)] = Decimal("0")
    extra_credit_opportunities_derived: bool = False
    extra_credit_categories: bounded_list(ExtraCreditCategory, CATEGORIES_MAX) = Field(
        default_factory=list
    )
    issue_areas: Annotated[bounded_list(IssueArea, ISSUE_AREAS_MAX), Required]
    grading_scale: Annotated[bounded_list(GradeStep, GRADES_MAX), Required] = Field(
        description="Best grade first; the last grade's minimum_percent is 0."
    )
    tiers: Tiers
    cutoff_rule: CutoffRule
    texts: FrameworkTexts = Field(default_factory=FrameworkTexts)

    def content_sha256(self) -> str:
        """Of the validated content: comments, spacing and key order do not count."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    def goals(self):
        return [(area, goal) for area in self.issue_areas for goal in area.goals]


def json_schema() -> dict:
    """The JSON Schema of the framework file, for people who write files elsewhere."""
    return doc.schema_of(FrameworkDocument)


class FrameworkFileProblems(doc.FileProblems):
    """Every problem of a framework file, each naming where it is."""


def validated(data: Any) -> FrameworkDocument:
    """The file's data as a FrameworkDocument; raises FrameworkFileProblems listing every
    problem, the value checks and the consistency checks together."""
    document, problems = doc.validated_as(
        FrameworkDocument, data, name_item=_item_name, whole="a framework"
    )
    problems += consistency_problems(data)
    if problems:
        raise FrameworkFileProblems(problems)
    return document


ITEM_NAMES = {
    "extra_credit_categories": "extra-credit category",
    "grading_scale": "grade",
    "methodology_notes": "methodology note",
    "resources": "resource",
    "calls_to_action": "call to action",
    "safe_harbor_resources": "Safe Harbor resource",
}


def _item_name(location: tuple, data: Any) -> str | None:
    """An issue area or a goal by the number the file gives it; other items by their kind
    and place ("grade 2")."""
    *_, key, position = location
    row = doc.at(data, location)
    written = row.get("number") if isinstance(row, dict) else None
    if key in ("issue_areas", "goals") and isinstance(written, str | int | float):
        return f"{'issue area' if key == 'issue_areas' else 'goal'} {written}"
    if key in ITEM_NAMES:
        return f"{ITEM_NAMES[key]} {position + 1}"
    return None


def grading_scale_problems(rows: Any) -> list[str]:
    """Why a grading scale as stored ([{"grade": "A", "minimum_percent": "90"}, ...]) cannot
    grade, for an edit outside a file (the Django admin); empty when it can."""
    if not isinstance(rows, list):
        return ['A list of grades, best first: [{"grade": "A", "minimum_percent": "90"}, …].']
    try:
        TypeAdapter(bounded_list(GradeStep, GRADES_MAX)).validate_python(rows)
    except ValidationError as error:
        return doc.problems(error, rows, whole="a list of grades")
    if not rows:
        return ["A grading scale needs at least one grade."]
    return [
        problem.removeprefix("grading_scale: ")
        for problem in _grading_scale_problems({"grading_scale": rows})
    ]


def texts_problems(value: Any) -> list[str]:
    """Why a framework's texts as stored cannot be kept, for an edit in the admin."""
    return doc.validated_as(
        FrameworkTexts, value, name_item=_item_name, whole="the framework's texts"
    )[1]


def cutoff_problem(month: int, day: int) -> str | None:
    """Why month and day are no cutoff, or None."""
    try:  # a non-leap year: February 29 would be no date in most cycle years
        datetime.date(2023, month, day)
    except (TypeError, ValueError):
        return f"month {month}, day {day} is not a date of every year."
    return None


# Checks across values ----------------------------------------------------------------------


def _rows(data: Any, key: str) -> list[dict]:
    value = data.get(key) if isinstance(data, dict) else None
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def consistency_problems(data: Any) -> list[str]:
    """What spans several values, checked on the raw data (so a wrong value elsewhere does
    not hide it); values of the wrong type are pydantic's to report and skipped here."""
    return [
        *_issue_area_problems(data),
        *_goal_problems(data),
        *_extra_credit_problems(data),
        *_grading_scale_problems(data),
        *_cutoff_problems(data),
    ]


def _issue_area_problems(data) -> list[str]:
    numbers = [row.get("number") for row in _rows(data, "issue_areas")]
    return [
        f"issue area {number}: the number is used by more than one issue area."
        for number in _repeated(numbers)
    ]


def _goal_problems(data) -> list[str]:
    problems, numbers = [], []
    for area in _rows(data, "issue_areas"):
        for goal in _rows(area, "goals"):
            number = doc.written_goal({"goal": goal.get("number")})
            if number is None:
                continue
            numbers.append(number)
            if number.split(".")[0] != str(area.get("number")):
                problems.append(
                    f"goal {number}: it is listed under issue area {area.get('number')}; a "
                    "goal's number starts with its issue area's number."
                )
    problems += [
        f"goal {number}: the number is used more than once." for number in _repeated(numbers)
    ]
    if len(numbers) > limits.DETERMINATIONS_MAX:  # an assessment holds one per goal
        problems.append(
            f"issue_areas: {len(numbers):,} goals in all; a framework has at most "
            f"{limits.DETERMINATIONS_MAX}."
        )
    return problems


def _extra_credit_problems(data) -> list[str]:
    codes = [row.get("code") for row in _rows(data, "extra_credit_categories")]
    problems = [
        f"extra_credit_categories: the code “{code}” is used more than once."
        for code in _repeated(codes)
    ]
    offered = False
    for area in _rows(data, "issue_areas"):
        for goal in _rows(area, "goals"):
            credit = goal.get("extra_credit")
            for code in credit if isinstance(credit, dict) else {}:
                offered = True
                if code not in codes:
                    problems.append(
                        f"goal {goal.get('number')}: extra_credit: “{code}” is not one of the "
                        "extra_credit_categories."
                    )
    cap = data.get("extra_credit_cap") if isinstance(data, dict) else None
    if offered and _number(cap) == 0:
        problems.append(
            "extra_credit_cap: goals offer extra credit but the cap is 0; give the cap, or "
            "remove the goals' extra_credit."
        )
    return problems


def _grading_scale_problems(data) -> list[str]:
    steps = _rows(data, "grading_scale")
    problems = [
        f"grading_scale: the grade “{grade}” is listed more than once."
        for grade in _repeated([step.get("grade") for step in steps])
    ]
    minima = [_number(step.get("minimum_percent")) for step in steps]
    if None in minima or not minima:
        return problems
    if any(lower >= higher for higher, lower in zip(minima, minima[1:], strict=False)):
        problems.append(
            "grading_scale: list the grades best first, each with a lower minimum_percent "
            "than the one before."
        )
    if minima[-1] != 0:
        problems.append(
            "grading_scale: the last grade is the one every lower score earns; its "
            "minimum_percent must be 0."
        )
    return problems


def _cutoff_problems(data) -> list[str]:
    rule = data.get("cutoff_rule") if isinstance(data, dict) else None
    if not isinstance(rule, dict):
        return []
    month, day = rule.get("month"), rule.get("day")
    if not (isinstance(month, int) and isinstance(day, int) and 1 <= month <= 12):
        return []  # pydantic names what is wrong with each
    problem = cutoff_problem(month, day)
    return [f"cutoff_rule: {problem}"] if problem else []


def _repeated(values: list) -> list:
    seen, repeated = set(), []
    for value in values:
        if isinstance(value, str | int) and value in seen and value not in repeated:
            repeated.append(value)
        if isinstance(value, str | int):
            seen.add(value)
    return repeated


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None
