"""The assessment document: one jurisdiction's assessment in one cycle, as a file.

This is the one definition of the import/export format (DESIGN.md §8): `import_assessment`
validates files against it, `export_assessment` dumps it, and
docs/assessment-document.schema.json is generated from it (`manage.py assessment_schema`).
Pure pydantic and the standard library (and core.limits, plain Python), so an API can serve
the same models without Django.

Lengths are those of the database columns, and counts and texts are bounded by core.limits
(docs/limits.md); no text may hold control characters other than tabs and line breaks.
Points and amounts are Decimals, written as strings ("1.25"). A null counts as a key left
out. What needs the database (the jurisdiction, the cycle's goals, the scoring rules, the
extra-credit opportunities) is checked after this, by assessments/importing.py.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from core import limits
from core.limits import NARRATIVE_MAX_CHARS

from .scoring import Status, fmt

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DECIMAL_SCHEMA = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$", "examples": ["1.25"]}


def _number_as_text(value: Any) -> Any:
    """YAML reads `goal: 1.1` and `label: 2` as numbers; they are names, kept as text."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


def _blank_as_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _single_spaced(value: str) -> str:
    return " ".join(value.split())


def _no_control_characters(multiline: bool):
    def check(value: str) -> str:
        if problem := limits.control_character_problem(value, multiline=multiline):
            raise ValueError(problem)
        return value

    return AfterValidator(check)


def _text(max_length: int):
    """Prose of several lines, at most `max_length` characters."""
    return Annotated[str, Field(max_length=max_length), _no_control_characters(multiline=True)]


def _line(max_length: int):
    """One line of text, at most `max_length` characters (a column's width)."""
    return Annotated[str, Field(max_length=max_length), _no_control_characters(multiline=False)]


def _list(item, max_length: int):
    return Annotated[list[item], Field(max_length=max_length)]


def _two_places(value: Decimal) -> str:
    return f"{value:.2f}"


def _decimal(written_as, **limits):
    """A Decimal, written as a string: a float cannot hold 0.1 exactly. Files may give a
    JSON number too; the schema asks for the string."""
    return Annotated[
        Decimal,
        Field(**limits),
        PlainSerializer(written_as, return_type=str, when_used="json"),
        WithJsonSchema(DECIMAL_SCHEMA),
    ]


# The same bounded types for the app's other file (the framework file,
# assessments/framework_document.py).
one_line, bounded_list, decimal_text = _line, _list, _decimal


def _name(max_length: int):
    """A required short name such as a goal number or a footnote label."""
    return Annotated[
        str,
        BeforeValidator(_number_as_text),
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        _no_control_characters(multiline=False),
    ]


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _law_date(value: Any) -> Any:
    """A date written YYYY-MM-DD (YAML reads it as a date already); a number is refused,
    though pydantic would read it as seconds since 1970."""
    if isinstance(value, datetime.datetime):
        raise ValueError("a date like 2023-07-01, without a time")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            if not _ISO_DATE.fullmatch(value.strip()):
                raise ValueError
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"“{value[:40]}” is not a date like 2023-07-01") from None
    raise ValueError("a date like 2023-07-01")


def _law_date_in_range(value: datetime.date) -> datetime.date:
    if problem := limits.law_date_problem(value):
        raise ValueError(problem)
    return value


def _footnote_label(value: str) -> str:
    """The label a mark `[^label]` can name (core/limits.py), or blank where none is set."""
    if value and (problem := limits.footnote_label_problem(value)):
        raise ValueError(problem)
    return value


LawDate = Annotated[
    datetime.date,
    BeforeValidator(_law_date),
    AfterValidator(_law_date_in_range),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2023-07-01"]}),
]
GoalNumber = _name(8)
# A footnote's label, which the marks `[^label]` of the goal's texts name.
FootnoteLabel = Annotated[_name(limits.FOOTNOTE_LABEL_MAX_CHARS), AfterValidator(_footnote_label)]
# A mark set apart from any text, such as on an appropriation's amount: the label alone
# (blank for none).
FootnoteMark = Annotated[
    str,
    BeforeValidator(_number_as_text),
    StringConstraints(strip_whitespace=True),
    AfterValidator(_footnote_label),
]
BillNumber = _name(32)
JurisdictionCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=2),
    _no_control_characters(multiline=False),
]
StatuteCitation = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    _no_control_characters(multiline=False),
    AfterValidator(_single_spaced),
]
Year = Annotated[int, Field(ge=1, le=32767)]
Points = _decimal(_two_places, max_digits=5, decimal_places=2)
Amount = _decimal(_two_places, gt=0, max_digits=14, decimal_places=2)
Score = _decimal(fmt, max_digits=5, decimal_places=2)
AreaPoints = _decimal(str)
SummaryKey = _name(32)
Text = _text(limits.TEXT_MAX_CHARS)
StatuteText = _text(limits.STATUTE_TEXT_MAX_CHARS)
Cell = _line(limits.CELL_MAX_CHARS)
TableKind = Literal["juvenile_jurisdiction", "protections", "privileges", "other"]
AppendixGroup = Literal["trafficking", "csec"]
ReviewStateName = Literal["draft", "submitted", "approved"]
# The review fields a goal and the state texts both carry (DESIGN.md §8).
InReview = Annotated[
    ReviewStateName | None,
    Field(description="Where this version is in review. Left out, it imports as approved."),
]
VersionNumber = Annotated[
    Annotated[int, Field(ge=1)] | None,
    Field(description="The version this is (kept by export and import)."),
]
NEWER_DRAFT = (
    "A newer version waiting for review while this approved one counts; its review_state "
    "is draft or submitted."
)


class DocumentPart(BaseModel):
    """Every object of the document: a null counts as the key left out."""

    @model_validator(mode="before")
    @classmethod
    def null_means_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None}
        return data


class Footnote(DocumentPart):
    """A footnote; `[^label]` in the text refers to it."""

    label: FootnoteLabel
    text: Text


class Citation(DocumentPart):
    """A statute cited for the goal; `[[quote N]]` in the narrative places the N-th quote."""

    citation: StatuteCitation = Field(description="e.g. “Miss. Code Ann. § 97-3-54.1”")
    caption: _line(1000) = Field("", description="The statute's caption; updates the statute.")
    pinpoint: _line(120) = Field("", description="e.g. “(1)(c)”")
    quote: Text = Field("", description="The quoted excerpt, Markdown.")


class Table(DocumentPart):
    """A table printed with the goal; `[[table N]]` in the narrative places the N-th."""

    kind: TableKind = "other"
    title: _line(200) = ""
    columns: _list(Cell, limits.TABLE_COLUMNS_MAX)
    rows: _list(list[Cell], limits.TABLE_ROWS_MAX) = Field(
        description="Each row has one cell per column."
    )

    @model_validator(mode="after")
    def rows_fit_columns(self) -> Table:
        if any(len(cells) != len(self.columns) for cells in self.rows):
            raise ValueError(f"every row needs {len(self.columns)} cells")
        return self


class Insight(DocumentPart):
    """An “Insight from the Field”: printed with the goal, never scored."""

    quote: Text
    attribution: _line(200) = ""


class ExtraCredit(DocumentPart):
    """Extra credit awarded under the goal in one category the goal offers."""

    category: _line(32) = Field(description="A category code of the framework, e.g. “clt”.")
    points: Points
    points_derived: bool = False
    explanation: Text = ""


class Reviewed(DocumentPart):
    """A goal or the state texts: a version in review (`review_state`, `version`), with
    perhaps a newer `draft` beside it, which only an approved version may have."""

    @model_validator(mode="after")
    def draft_follows_an_approved_version(self) -> Reviewed:
        if self.draft is not None and (problem := newer_draft_problem(self, self.draft)):
            raise ValueError(problem)
        return self


class Determination(Reviewed):
    """The finding on one policy goal; every goal of the cycle's framework needs one."""

    goal: GoalNumber = Field(description="The policy goal number as text, e.g. “2.10”.")
    status: Status
    points: Annotated[Points | None, BeforeValidator(_blank_as_none)] = Field(
        None,
        description="Fully met scores the goal's maximum and not met 0 (both may be left "
        "out); partially met needs points above 0 and below the maximum, in steps of 0.25.",
    )
    points_derived: bool = Field(
        False, description="Points chosen to add up to a published total, not read from it."
    )
    narrative: _text(NARRATIVE_MAX_CHARS) = Field(
        "",
        description="Markdown; [[quote N]] and [[table N]] place the goal's N-th citation "
        "quote or table, [^N] refers to a footnote.",
    )
    marked_title: _line(1000) = Field(
        "",
        description="The goal's title with footnote marks where the card prints them, e.g. "
        "“… (CSEC) laws[^4] specifically …”; without the marks it must read as the "
        "framework's title. Blank prints the title as it is.",
    )
    citations: _list(Citation, limits.PARTS_MAX) = []
    footnotes: _list(Footnote, limits.PARTS_MAX) = []
    tables: _list(Table, limits.TABLES_MAX) = []
    recommendations: _list(Text, limits.PARTS_MAX) = []
    insights: _list(Insight, limits.PARTS_MAX) = []
    extra_credit: _list(ExtraCredit, limits.PARTS_MAX) = []
    review_state: InReview = None
    version: VersionNumber = None
    draft: Determination | None = Field(None, description=NEWER_DRAFT)

    @model_validator(mode="after")
    def draft_is_of_the_same_goal(self) -> Determination:
        if self.draft is not None and self.draft.goal != self.goal:
            raise ValueError(f"the draft is of goal {self.draft.goal}, not {self.goal}")
        return self


def newer_draft_problem(approved: DocumentPart, draft: DocumentPart) -> str | None:
    """What is wrong with `draft` as the newer version waiting beside `approved` (a goal's
    or the state texts'), or None."""
    if approved.review_state not in (None, "approved"):
        return "only an approved version can have a newer draft"
    if draft.draft is not None or draft.review_state not in ("draft", "submitted"):
        return "the draft must be a draft or submitted version, without a draft"
    if approved.version and draft.version and draft.version <= approved.version:
        return "the draft's version must be newer than the approved version"
    return None


# What the document says about a version's review, beside its content.
REVIEW_FIELDS = frozenset({"review_state", "version", "draft"})


class Statute(DocumentPart):
    """A statute of the jurisdiction; created, or updated where a text is given."""

    citation: StatuteCitation
    caption: _line(1000) = ""
    text: StatuteText = ""
    amendment_note: Text = ""
    enacted_date: LawDate | None = Field(
        None, description="When this wording became law; compared with the cycle's cutoff."
    )
    effective_date: LawDate | None = Field(None, description="When this wording took effect.")


class Appropriation(DocumentPart):
    """State funds appropriated by a bill, printed on the report card."""

    bill: BillNumber = Field(description="e.g. “HB 1641”")
    session: _line(64) = ""
    recipient: _line(200)
    amount: Amount
    amount_footnote: FootnoteMark = Field(
        "",
        description="The footnote printed after the amount, e.g. “17”: a footnote of the "
        "appropriations goal.",
    )
    purpose: Text
    term: _line(32) = Field("", description="e.g. “FY 2024”")
    term_note: _line(64) = ""


class PicScore(DocumentPart):
    """A historical Protected Innocence Challenge result of the jurisdiction."""

    year: Year
    score: Score
    grade: _line(1) = ""
    areas: _list(AreaPoints, limits.SCORES_MAX) = Field(
        description="The score of each area, in area order."
    )
    maxima: _list(AreaPoints, limits.SCORES_MAX) = Field(
        description="The maximum of each area, in area order."
    )

    @model_validator(mode="after")
    def one_maximum_per_area(self) -> PicScore:
        if len(self.areas) != len(self.maxima):
            raise ValueError("areas and maxima differ in length")
        return self


class AppendixEntry(DocumentPart):
    """A statute quoted in the report card's appendix."""

    group: AppendixGroup
    citation: StatuteCitation
    caption: _line(1000) = Field(
        "", exclude=True, description="Updates the statute's caption; exported under statutes."
    )
    pinpoint: _line(120) = ""
    text: StatuteText = ""
    footnotes: _list(Footnote, limits.PARTS_MAX) = []


class Texts(Reviewed):
    """The jurisdiction's texts printed on the report card."""

    highlights: _list(Text, limits.HIGHLIGHTS_MAX) = []
    issue_summaries: Annotated[dict[SummaryKey, Text], Field(max_length=limits.PARTS_MAX)] = Field(
        {}, description="By issue number."
    )
    extra_credit_summaries: Annotated[
        dict[SummaryKey, Text], Field(max_length=limits.PARTS_MAX)
    ] = Field({}, description="By category code.")
    safe_harbor: Text = ""
    safe_harbor_summary: Text = ""
    historical_background: Text = ""
    review_state: InReview = None
    version: VersionNumber = None
    draft: TextsDraft | None = Field(None, description=NEWER_DRAFT)


class TextsDraft(Texts):
    """A newer version of the state texts in review. The analysis footnote belongs to the
    texts, so the draft carries its own; the document's `analysis_intro_footnote` is the
    approved one."""

    analysis_intro_footnote: Footnote | None = None


Texts.model_rebuild()


class DocumentHeading(DocumentPart):
    """Whose assessment, for which cycle, and who imports it."""

    jurisdiction: JurisdictionCode = Field(description="Two-letter code, e.g. “MS”.")
    cycle: Year = Field(description="The cycle's year, e.g. 2023.")
    author: _name(150) | None = Field(
        None,
        exclude=True,
        description="Username the import is attributed to unless the importer names one.",
    )


class AssessmentDocument(DocumentHeading):
    """One jurisdiction's assessment in one cycle (DESIGN.md §8)."""

    synthetic: bool = Field(False, description="Generated demo data, not an assessment of law.")
    texts: Texts = Field(default_factory=Texts)
    analysis_intro_footnote: Footnote | None = None
    pic_scores: _list(PicScore, limits.SCORES_MAX) = []
    statutes: _list(Statute, limits.STATUTES_MAX) = []
    appropriations: _list(Appropriation, limits.STATUTES_MAX) = []
    appendix: _list(AppendixEntry, limits.STATUTES_MAX) = []
    determinations: _list(Determination, limits.DETERMINATIONS_MAX) = Field(
        description="One per policy goal."
    )


def json_schema() -> dict:
    """The JSON Schema of the document, for people who write files elsewhere."""
    return schema_of(AssessmentDocument)


def schema_of(model) -> dict:
    """The JSON Schema of a file format's pydantic model, naming its dialect."""
    return {"$schema": JSON_SCHEMA_DIALECT, **model.model_json_schema()}


class FileProblems(Exception):
    """Every problem of a file, each naming where it is (one subclass per file format)."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


# Problems in plain words ---------------------------------------------------------------

ITEM_NAMES = {
    "determinations": "determination",
    "citations": "citation",
    "footnotes": "footnote",
    "tables": "table",
    "columns": "column",
    "rows": "row",
    "recommendations": "recommendation",
    "insights": "insight",
    "extra_credit": "extra credit",
    "statutes": "statute",
    "appropriations": "appropriation",
    "pic_scores": "Protected Innocence score",
    "appendix": "appendix entry",
    "highlights": "highlight",
    "areas": "area",
    "maxima": "maximum",
}
KINDS = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
}
NOT_A_NUMBER = {"decimal_parsing", "decimal_type", "finite_number"}


def problems(
    error: ValidationError, data: Any, *, name_item=None, whole: str = "an assessment"
) -> list[str]:
    """Each of pydantic's errors as a sentence that names its goal, e.g. "goal 2.4: ...".

    Other documents (the framework file) pass `name_item(location, data)`, which names the
    item a location ends at (or None for the plain "citation 2"), and what the `whole`
    file holds."""
    return [_problem(detail, data, name_item, whole) for detail in error.errors()]


def validated_as(model, data: Any, *, name_item, whole: str) -> tuple[Any, list[str]]:
    """`data` as a `model` (a file format's pydantic model) and no problems, or None and
    the `problems` of its values."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, problems(error, data, name_item=name_item, whole=whole)


def _problem(detail: dict, data: Any, name_item, whole: str) -> str:
    location = detail["loc"]
    if not location:
        return f"The file must hold one JSON object ({whole})."
    *places, subject = _places(location, data, name_item or _assessment_item)
    sentence = _sentence(detail, subject, is_key=isinstance(location[-1], str))
    return ": ".join([*places, sentence])


def _places(location: tuple, data: Any, name_item) -> list[str]:
    """("determinations", 3, "tables", 0, "rows") → ["goal 1.4", "table 1", "rows"]."""
    places, index = [], 0
    while index < len(location):
        key = location[index]
        following = location[index + 1] if index + 1 < len(location) else None
        if isinstance(key, str) and isinstance(following, int):
            places.append(_item(location[: index + 2], data, name_item))
            index += 2
        else:
            places.append(key if isinstance(key, str) else f"{_inner(location[:index])} {key + 1}")
            index += 1
    return places


def _inner(location: tuple) -> str:
    """What the items of a list inside a list are called: ("rows", 0) holds cells."""
    return "cell" if location[-2:-1] == ("rows",) else "item"


def _item(location: tuple, data: Any, name_item) -> str:
    *_, key, position = location
    return name_item(location, data) or f"{ITEM_NAMES.get(key, key)} {position + 1}"


def _assessment_item(location: tuple, data: Any) -> str | None:
    """A determination is named by its goal."""
    if location[:1] == ("determinations",) and len(location) == 2:
        goal = written_goal(at(data, location))
        if goal:
            return f"goal {goal}"
    return None


def at(data: Any, location: tuple) -> Any:
    """The value the location points at in `data`, or None."""
    for key in location:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def written_goal(row: Any) -> str | None:
    """The goal number a determination was written with, when it has a usable one."""
    goal = _number_as_text(row.get("goal")) if isinstance(row, dict) else None
    if isinstance(goal, str) and goal.strip():
        return goal.strip()
    return None


def _sentence(detail: dict, subject: str, is_key: bool) -> str:
    kind, named = detail["type"], f"“{subject}”" if is_key else subject
    context = detail.get("ctx") or {}
    if kind == "missing":
        return f"{named} is missing."
    if kind in KINDS:
        return f"{named} must be {KINDS[kind]}."
    if kind in NOT_A_NUMBER:
        return f"{subject} {_shown(detail['input'])} is not a number."
    if kind in ("enum", "literal_error"):
        expected = context["expected"].replace("'", "")
        return f"{subject} {_shown(detail['input'])} is not one of {expected}."
    if kind in ("string_too_long", "too_long") and isinstance(detail["input"], str):
        return f"{named} is longer than {context['max_length']:,} characters."
    if kind == "too_long":
        return f"{named} has more than {context['max_length']:,} entries."
    if kind in ("string_too_short", "too_short"):
        return f"{named} is empty."
    if kind == "extra_forbidden":
        return f"{named} is not a key of this format; check its spelling."
    if kind == "value_error":
        return f"{subject}: {context['error']}."
    return f"{subject} {_shown(detail['input'])}: {detail['msg']}."


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return f"“{text if len(text) <= 40 else text[:39] + '…'}”"
