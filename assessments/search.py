"""Search a cycle: jurisdictions, goals, narratives, citations (the cited statute's text
included), recommendations, review comments and the groups other apps register (the
discussions' comments), grouped (reads only).

On PostgreSQL each group is a full-text search (core/fulltext.py: English stemming, web
search syntax, ranked, answered from GIN indexes; long texts rank by their stored
vectors); on SQLite, which has neither, every word typed must appear
in one of the group's fields (case-insensitive), which finds the same items for plain
words. Each group is a query a page is sliced from: a page of results costs two queries per
group (count and rows) however many hits there are.

Adding a group of this app is one `Group` in `GROUPS`: the model's rows of the cycle, the
fields searched, and how a hit is shown. An app above or beside this one (discussions)
calls `register(group)` from its AppConfig.ready(), so search shows its rows without this
app importing it (the layering of docs/architecture.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F, OrderBy, Q, QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core import fulltext
from core.limits import SEARCH_MAX_CHARS
from statutes.models import Jurisdiction

from .models import Citation, Cycle, GoalDetermination, PolicyGoal, Recommendation, ReviewEvent

WORDS_MAX = 12
QUERY_MAX_CHARS = SEARCH_MAX_CHARS
SNIPPET_BEFORE, SNIPPET_AFTER = 60, 180


def words_of(typed: str) -> list[str]:
    """The words of what was typed (letters and digits; dots kept inside goal numbers such
    as 2.10), at most WORDS_MAX of them, each once."""
    found = re.findall(r"\w+(?:\.\w+)*", typed)
    return list(dict.fromkeys(word.lower() for word in found))[:WORDS_MAX]


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    snippet: SafeString


@dataclass(frozen=True)
class Group:
    """One kind of result. `fields` are searched together (one vector, one GIN index on
    PostgreSQL) and rank the hits. `related` names a foreign key whose row is searched too,
    in its `related_fields` (a citation's statute, with its own vector and index): a row
    whose related row matches is a hit, ranked after the rows matching in their own
    fields, since many rows share one related row (a statute cited by many goals).
    `hit` shows a row; `text` is what its snippet is cut from."""

    key: str
    title: str
    rows: Callable[[Cycle], QuerySet]
    fields: tuple[str, ...]
    hit: Callable[[object, Cycle], tuple[str, str]]
    text: Callable[[object], str]
    related: str = ""
    related_fields: tuple[str, ...] = ()
    order: tuple[str | OrderBy, ...] = ("pk",)


def _editor(determination, cycle) -> str:
    return reverse(
        "assessments:determination",
        args=[determination.assessment.jurisdiction.code, cycle.year, determination.goal.number],
    )


def _of_goal(determination) -> str:
    return f"{determination.assessment.jurisdiction.name} · goal {determination.goal.number}"


def _part_rows(model):
    def rows(cycle):
        return model.objects.filter(determination__assessment__cycle=cycle).select_related(
            "determination__assessment__jurisdiction", "determination__goal"
        )

    return rows


def _part_hit(label: str):
    def hit(part, cycle):
        determination = part.determination
        return f"{_of_goal(determination)} · {label}", _editor(determination, cycle)

    return hit


PART_ORDER = ("determination__assessment__jurisdiction__name", "determination__goal__ordering")

GROUPS = [
    Group(
        key="jurisdictions",
        title="Jurisdictions",
        rows=lambda cycle: Jurisdiction.objects.filter(assessments__cycle=cycle),
        fields=("name", "code"),
        hit=lambda j, cycle: (j.name, reverse("assessments:overview", args=[j.code, cycle.year])),
        text=lambda j: f"{j.name} ({j.code})",
        order=("name",),
    ),
    Group(
        key="goals",
        title="Goals",
        rows=lambda cycle: PolicyGoal.objects.filter(framework_id=cycle.framework_id),
        fields=("number", "text"),
        hit=lambda goal, cycle: (
            f"Goal {goal.number}",
            reverse("assessments:goal_across", args=[cycle.year, goal.number]),
        ),
        text=lambda goal: goal.text,
        order=("ordering",),
    ),
    Group(
        key="narratives",
        title="Narratives",
        rows=lambda cycle: GoalDetermination.objects.filter(assessment__cycle=cycle).select_related(
            "assessment__jurisdiction", "goal"
        ),
        fields=("narrative",),
        hit=lambda d, cycle: (_of_goal(d), _editor(d, cycle)),
        text=lambda d: d.narrative,
        order=("assessment__jurisdiction__name", "goal__ordering"),
    ),
    Group(
        key="citations",
        title="Citations",
        rows=lambda cycle: _part_rows(Citation)(cycle).select_related("statute"),
        fields=("pinpoint", "quote"),
        related="statute",
        related_fields=("citation", "caption", "text"),
        hit=lambda c, cycle: (
            f"{_of_goal(c.determination)} · {c.statute.citation}{c.pinpoint}",
            _editor(c.determination, cycle),
        ),
        text=lambda c: "\n".join(
            part for part in (c.quote, c.statute.caption, c.statute.text) if part
        ),
        order=PART_ORDER,
    ),
    Group(
        key="recommendations",
        title="Recommendations",
        rows=_part_rows(Recommendation),
        fields=("text",),
        hit=_part_hit("recommendation"),
        text=lambda r: r.text,
        order=PART_ORDER,
    ),
    Group(
        key="comments",
        title="Review comments",
        rows=lambda cycle: (
            ReviewEvent.objects.filter(determination__assessment__cycle=cycle)
            .exclude(comment="")
            .select_related(
                "determination__assessment__jurisdiction", "determination__goal", "actor"
            )
        ),
        fields=("comment",),
        hit=lambda e, cycle: (
            f"{_of_goal(e.determination)} · {e.actor.get_username()}, "
            f"{e.get_action_display().lower()}",
            reverse(
                "assessments:determination_history",
                args=[
                    e.determination.assessment.jurisdiction.code,
                    cycle.year,
                    e.determination.goal.number,
                ],
            ),
        ),
        text=lambda e: e.comment,
        order=PART_ORDER,
    ),
]


_REGISTERED: dict[str, Group] = {}


def register(group: Group) -> None:
    """Search `group` too, after the built-in ones (once per key: ready() may run again)."""
    _REGISTERED[group.key] = group


def every_group() -> list[Group]:
    """Every group a search shows, in the order shown."""
    return [*GROUPS, *_REGISTERED.values()]


def group_hits(group: Group, cycle: Cycle, typed: str) -> QuerySet:
    """The rows of `group` in `cycle` that match what was typed, best first (PostgreSQL:
    by rank; SQLite: in the group's natural order)."""
    rows = group.rows(cycle)
    if fulltext.uses_full_text(connection):
        return _ranked(group, rows, typed)
    words = words_of(typed)
    if not words:
        return rows.none()
    fields = group.fields + tuple(f"{group.related}__{name}" for name in group.related_fields)
    for word in words:
        rows = rows.filter(_any_field_contains(fields, word))
    return rows.order_by(*group.order, "pk")


def _any_field_contains(fields, word: str) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": word})
    return condition


def _ranked(group: Group, rows: QuerySet, typed: str) -> QuerySet:
    wanted = fulltext.query(typed)
    rows = rows.annotate(
        own_vector=fulltext.search_vector(rows.model, group.fields),
        rank=SearchRank(F("own_vector"), wanted),
    )
    match = Q(own_vector=wanted)
    if group.related:
        # The related rows matching, each once (a statute cited by many goals).
        related_model = rows.model._meta.get_field(group.related).related_model
        matching = related_model.objects.annotate(
            vector=fulltext.search_vector(related_model, group.related_fields)
        ).filter(vector=wanted)
        match |= Q(**{f"{group.related}__in": matching.values("pk")})
    return rows.filter(match).order_by("-rank", *group.order, "pk")


def hit_of(group: Group, row, cycle: Cycle, words: list[str]) -> Hit:
    title, url = group.hit(row, cycle)
    return Hit(title=title, url=url, snippet=highlighted(snippet(group.text(row), words), words))


def snippet(text: str, words: list[str]) -> str:
    """The part of `text` around the first word found (the start when none is: a stemmed
    match), with "…" where it was cut."""
    flat = " ".join(text.split())
    lowered = flat.lower()
    found = [lowered.find(word) for word in words if word in lowered]
    first = min(found, default=0)
    start = max(first - SNIPPET_BEFORE, 0)
    end = min(first + SNIPPET_AFTER, len(flat))
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def highlighted(text: str, words: list[str]) -> SafeString:
    """`text` escaped, each word found in it marked: the text is split on the words first,
    so a word never matches inside the escaping itself."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    pieces, last = [], 0
    for found in pattern.finditer(text):
        pieces.append(escape(text[last : found.start()]))
        pieces.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above
