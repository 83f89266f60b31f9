"""National facts for a jurisdiction's highlights (DESIGN.md §4), from stored scores.

The sentence builders are pure: plain numbers and goal texts in, sentences out, so the
wording is unit-tested without a database. The two selectors at the bottom read what
they need with a fixed number of queries.

    One of only 8 states to provide for a survivor-centered multi-disciplinary team ...
    One of 30 states that prohibit the criminalization of minors under 18 ...
    Currently ranked 10th in the nation (tie).
    Between 2021-2023, raised score by .5 points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from . import scoring

# "One of only 8 states" up to this many; "One of 30 states" above it.
FEW_STATES = 10
STATE_LAW = "State law "
# Verbs a goal may join with "and" to its first one ("prohibits ... and establishes ...");
# they agree with "states" too. A list, because "and" also joins nouns ending in -s.
JOINED_VERBS = {
    "allows", "authorizes", "creates", "defines", "directs", "ensures", "establishes",
    "extends", "mandates", "permits", "prohibits", "provides", "requires",
}  # fmt: skip


class FullyMetGoal(NamedTuple):
    """A goal the jurisdiction fully meets, with approval."""

    number: str
    text: str


@dataclass(frozen=True)
class Highlight:
    """One suggested sentence for the report card's highlights."""

    text: str
    goal: str = ""  # the goal number a national-count sentence is about


def _base_form(verb: str) -> str:
    """provides -> provide, mandates -> mandate, applies -> apply (third person to plural)."""
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes")):
        return verb[:-2]
    if verb.endswith("s") and not verb.endswith("ss"):
        return verb[:-1]
    return verb


def _lower_first(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first.isupper() or any(c.isupper() for c in first[1:]):  # keep CSEC, McKinney, ...
        return text
    return f"{first[:1].lower()}{first[1:]} {rest}".rstrip()


def _normalized(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


def goal_summary(text: str) -> str:
    """A goal's text as the end of a "states to / states that ..." sentence.

    "State law provides for X." -> "provide for X"; a goal not phrased as what state law
    does ("Mistake of age is not an available defense ...") keeps its words, lower-cased
    at the start, and is joined with "where" by `fully_met_sentence`.
    """
    text = _normalized(text)
    if text.startswith(STATE_LAW):
        verb, _, rest = text[len(STATE_LAW) :].partition(" ")
        for joined in JOINED_VERBS:
            rest = rest.replace(f" and {joined} ", f" and {_base_form(joined)} ")
        return f"{_base_form(verb)} {rest}".rstrip()
    return _lower_first(text)


def fully_met_sentence(count: int, goal_text: str) -> str:
    """ "One of only 8 states to ..." (8 <= 10) or "One of 30 states that ..." (30 > 10)."""
    summary = goal_summary(goal_text)
    if _normalized(goal_text).startswith(STATE_LAW):
        few, many, only = "to", "that", "to"
    else:
        few = many = only = "where"
    if count == 1:
        return f"The only state {only} {summary}."
    if count <= FEW_STATES:
        return f"One of only {count} states {few} {summary}."
    return f"One of {count} states {many} {summary}."


def rank_sentence(rank: int, tied: bool) -> str:
    return f"Currently ranked {scoring.ordinal(rank)} in the nation{' (tie)' if tied else ''}."


def points_phrase(points: Decimal) -> str:
    """.5 points, 2 points, 1 point, 1.25 points: as the seed prints them (no leading 0)."""
    text = scoring.fmt(points)
    if text.startswith("0."):
        text = text[1:]
    return f"{text} point{'' if points == 1 else 's'}"


def change_sentence(change: Decimal | None, *, year: int, previous_year: int | None) -> str:
    """ "Between 2021-2023, raised score by .5 points."; empty without a previous cycle."""
    if change is None or previous_year is None:
        return ""
    if change > 0:
        what = f"raised score by {points_phrase(change)}"
    elif change < 0:
        what = f"lowered score by {points_phrase(-change)}"
    else:
        what = "score unchanged"
    return f"Between {previous_year}-{year}, {what}."


def suggested_highlights(
    *,
    year: int,
    previous_year: int | None,
    rank: int | None,
    tied: bool,
    change: Decimal | None,
    fully_met_goals: Iterable[FullyMetGoal],
    fully_met_counts: Mapping[str, int],
) -> list[Highlight]:
    """The seed's order: change, rank, then national facts, rarest first."""
    highlights = []
    change_text = change_sentence(change, year=year, previous_year=previous_year)
    if change_text:
        highlights.append(Highlight(change_text))
    if rank is not None:
        highlights.append(Highlight(rank_sentence(rank, tied)))
    facts = [
        (fully_met_counts[goal.number], position, goal)
        for position, goal in enumerate(fully_met_goals)
        # A count of 0 means the counts predate the approval: no sentence beats a wrong one.
        if fully_met_counts.get(goal.number, 0) > 0
    ]
    for count, _, goal in sorted(facts, key=lambda fact: fact[:2]):
        highlights.append(Highlight(fully_met_sentence(count, goal.text), goal=goal.number))
    return highlights


# Selectors: the only functions here that query. They import the models themselves, so the
# sentence builders above import (and unit-test) without a configured Django.


def fully_met_goals(assessment) -> list[FullyMetGoal]:
    """The assessment's approved, fully met goals in framework order (1 query)."""
    from .models import GoalDetermination

    rows = (
        GoalDetermination.objects.filter(
            assessment=assessment, approved__status=GoalDetermination.Status.FULLY_MET
        )
        .order_by("goal__ordering")
        .values_list("goal__number", "goal__text")
    )
    return [FullyMetGoal(number, text) for number, text in rows]


def goal_counts_by_issue(cycle, fully_met_counts: Mapping[str, int]) -> list[dict]:
    """Each issue area with its goals and how many jurisdictions fully meet each (1 query)."""
    from .models import PolicyGoal

    groups: dict[int, dict] = {}
    goals = (
        PolicyGoal.objects.filter(framework_id=cycle.framework_id)
        .select_related("issue_area")
        .order_by("ordering")
    )
    for goal in goals:
        group = groups.setdefault(goal.issue_area_id, {"area": goal.issue_area, "goals": []})
        group["goals"].append({"goal": goal, "count": fully_met_counts.get(goal.number, 0)})
    return list(groups.values())
