"""Facts in the state texts come from data: placeholders filled from the scores, and typed
facts checked against them (docs/state-texts.md).

A highlight written "Currently ranked {rank} in the nation{tied}." prints the rank of the
score snapshot the card prints, so the card cannot contradict itself. A fact typed in words
("ranked 10th", "(tie)", "Tier I", "score of 68.5", "raised score by .5 points", "one of only
8 states") is recognised by a closed list of phrasings and checked against the computed
figure: a different figure is a contradiction (the publish gate's blocker), a fact the app
has no data for is "unchecked" (a warning the publisher acknowledges).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .scoring import ROMAN_TIERS, fmt, ordinal, tier_label


@dataclass(frozen=True)
class ScoreFacts:
    """The computed figures a card prints, as placeholders and checks read them."""

    rank: int
    tied: bool
    tier: int
    score: Decimal
    grade: str
    change: Decimal | None = None  # since the previous cycle in the app
    previous_year: int | None = None
    fully_met_counts: dict[str, int] = field(default_factory=dict)


class PlaceholderMissing(LookupError):
    """A placeholder whose figure the app does not have (e.g. no previous cycle)."""


def _change(facts: ScoreFacts, _arg: str) -> str:
    if facts.change is None:
        raise PlaceholderMissing(
            "{score_change} has no figure: the cycle has no previous cycle in the app"
        )
    return fmt(abs(facts.change))


def _fully_met(facts: ScoreFacts, goal: str) -> str:
    if goal not in facts.fully_met_counts:
        raise PlaceholderMissing(f"{{fully_met_count:{goal}}} names no goal of the framework")
    return str(facts.fully_met_counts[goal])


# name -> (how it reads, filler). The documented set; anything else is refused on save.
PLACEHOLDERS: dict[str, tuple[str, Callable[[ScoreFacts, str], str]]] = {
    "rank": ("the rank as an ordinal: 10th", lambda f, _: ordinal(f.rank)),
    "tied": ("“ (tie)” when the rank is shared, else nothing", lambda f, _: _tie(f)),
    "rank_phrase": ("the rank and tie: 10th (tie)", lambda f, _: ordinal(f.rank) + _tie(f)),
    "tier": ("the tier as printed: Tier I", lambda f, _: tier_label(f.tier)),
    "score": ("the total score: 68.5", lambda f, _: fmt(f.score)),
    "grade": ("the overall grade: D", lambda f, _: f.grade),
    "score_change": ("the size of the change since the previous cycle: 0.5", _change),
    "fully_met_count": (
        "how many jurisdictions fully meet a goal, e.g. {fully_met_count:3.2}",
        _fully_met,
    ),
}
WITH_ARGUMENT = {"fully_met_count"}

# Anything in braces without spaces reads as a placeholder; prose braces have spaces.
_BRACED = re.compile(r"\{([^{}\s]*)\}")
_PLACEHOLDER = re.compile(r"([a-z_]+)(?::(\d+\.\d+))?")


def _tie(facts: ScoreFacts) -> str:
    return " (tie)" if facts.tied else ""


def placeholder_problems(text: str, label: str = "This text") -> list[str]:
    """Why the placeholders of `text` cannot be filled, whatever the scores: unknown names,
    a missing or unexpected argument."""
    problems = []
    for match in _BRACED.finditer(text or ""):
        parsed = _PLACEHOLDER.fullmatch(match.group(1))
        name = parsed.group(1) if parsed else None
        if name not in PLACEHOLDERS:
            known = ", ".join(
                "{" + n + ("}" if n not in WITH_ARGUMENT else ":3.2}") for n in PLACEHOLDERS
            )
            problems.append(
                f"{label} uses the unknown placeholder {match.group(0)}; the placeholders are "
                f"{known}."
            )
        elif (name in WITH_ARGUMENT) != bool(parsed.group(2)):
            problems.append(
                f"{label}: {match.group(0)} "
                + (
                    "needs a goal number, e.g. {fully_met_count:3.2}."
                    if name in WITH_ARGUMENT
                    else "takes no argument."
                )
            )
    return problems


def fill(text: str, facts: ScoreFacts) -> str:
    """`text` with its placeholders replaced by the figures (PlaceholderMissing when one
    has no figure; unknown names were refused on save and are left as typed)."""

    def replace(match: re.Match) -> str:
        parsed = _PLACEHOLDER.fullmatch(match.group(1))
        if not parsed or parsed.group(1) not in PLACEHOLDERS:
            return match.group(0)
        return PLACEHOLDERS[parsed.group(1)][1](facts, parsed.group(2) or "")

    return _BRACED.sub(replace, text or "")


def fill_or_mark(text: str, facts: ScoreFacts) -> str:
    """`fill`, a placeholder without a figure left as typed (a draft preview shows it; the
    publish gate blocks it)."""
    try:
        return fill(text, facts)
    except PlaceholderMissing:
        return text


def missing_figures(text: str, facts: ScoreFacts) -> list[str]:
    problems = []
    for match in _BRACED.finditer(text or ""):
        try:
            fill(match.group(0), facts)
        except PlaceholderMissing as missing:
            problems.append(str(missing))
    return problems


# Typed facts


@dataclass(frozen=True)
class TypedFact:
    phrase: str  # as typed
    contradiction: str = ""  # what the data says instead
    unchecked: str = ""  # why it cannot be checked

    @property
    def checked(self) -> bool:
        return not self.unchecked


_ROMAN = {roman: number for number, roman in ROMAN_TIERS.items()}
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _rank(match: re.Match, facts: ScoreFacts) -> TypedFact:
    typed = int(match.group(1))
    wrong = f"the computed rank is {ordinal(facts.rank)}" if typed != facts.rank else ""
    return TypedFact(match.group(0), contradiction=wrong)


def _tie_fact(match: re.Match, facts: ScoreFacts) -> TypedFact:
    wrong = "" if facts.tied else "the computed rank is not shared"
    return TypedFact(match.group(0), contradiction=wrong)


def _tier(match: re.Match, facts: ScoreFacts) -> TypedFact:
    given = match.group(1)
    typed = _ROMAN.get(given.upper()) or int(given)
    wrong = f"the computed tier is {tier_label(facts.tier)}" if typed != facts.tier else ""
    return TypedFact(match.group(0), contradiction=wrong)


def _score(match: re.Match, facts: ScoreFacts) -> TypedFact:
    typed = _decimal(match.group(1))
    wrong = f"the computed score is {fmt(facts.score)}" if typed != facts.score else ""
    return TypedFact(match.group(0), contradiction=wrong)


def _change_fact(match: re.Match, facts: ScoreFacts) -> TypedFact:
    since = match.group("since")
    if facts.change is None or (since and int(since) != facts.previous_year):
        known = (
            f"the app has the {facts.previous_year} cycle only"
            if facts.previous_year
            else ("the app has no previous cycle")
        )
        return TypedFact(match.group(0), unchecked=f"a change since {since or 'then'}: {known}")
    typed = _decimal(match.group("points"))
    down = match.group("verb").lower() in {"lowered", "decreased", "dropped"}
    signed = -typed if down and typed is not None else typed
    wrong = f"the computed change is {fmt(facts.change)} points" if signed != facts.change else ""
    return TypedFact(match.group(0), contradiction=wrong)


def _only(match: re.Match, _facts: ScoreFacts) -> TypedFact:
    return TypedFact(
        match.group(0),
        unchecked="which goal it counts is not said; write {fully_met_count:N.N} to check it",
    )


_TYPED: list[tuple[re.Pattern, Callable[[re.Match, ScoreFacts], TypedFact]]] = [
    (re.compile(r"\branked (\d+)(?:st|nd|rd|th)\b", re.IGNORECASE), _rank),
    (re.compile(r"\((?:tie|tied)\)", re.IGNORECASE), _tie_fact),
    (re.compile(r"\bTier (I{1,3}|[123])\b"), _tier),
    (re.compile(r"\bscore of (\d+(?:\.\d+)?|\.\d+)\b", re.IGNORECASE), _score),
    (
        re.compile(
            r"(?:(?:between|since|from) (?P<since>\d{4})(?:\s*[-–]\s*\d{4})?,?\s+)?"
            r"(?P<verb>raised|increased|improved|lowered|decreased|dropped) (?:its |the )?"
            r"score by (?P<points>\d*\.?\d+) points?",
            re.IGNORECASE,
        ),
        _change_fact,
    ),
    (
        re.compile(
            r"\bone of only (?:\d+|" + "|".join(_NUMBER_WORDS) + r") (?:states|jurisdictions)\b",
            re.IGNORECASE,
        ),
        _only,
    ),
]


def typed_facts(text: str, facts: ScoreFacts) -> list[TypedFact]:
    """The facts typed in words in `text` (placeholders are data, not typed), each checked
    against the computed figures or marked unchecked."""
    typed = _BRACED.sub(" ", text or "")
    found = []
    for pattern, check in _TYPED:
        found += [check(match, facts) for match in pattern.finditer(typed)]
    return found
