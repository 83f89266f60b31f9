"""What changed in a goal between two versions of its document, in words.

`goal_changes(before, after)` compares two determinations as assessment-document dicts
(assessments/document.py `Determination`, dumped as JSON: an approval's frozen document,
or the live rows through approvals.determination_document). It is pure, and it is the one
account of a goal's changes: the reviewer's "changes since the last approved version" box,
the review queue's summary and the tests all read it. Each difference is a core.diffs
`Change`, shown as every other diff is (short values old → new, long ones word by word).

Two documents with equal content give no change, so a re-save that changed nothing is not
a change. Parts are matched by what identifies them (a citation by its statute citation,
a footnote by its label, extra credit by its category), so a removed citation shows as
removed, not as every later citation changed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation

from core.diffs import Change, display_value

from .scoring import Status, fmt

CITATION_FIELDS = (("pinpoint", "pinpoint"), ("caption", "caption"), ("quote", "quote"))
TABLE_FIELDS = (("kind", "kind"), ("title", "title"), ("columns", "columns"), ("rows", "rows"))
INSIGHT_FIELDS = (("quote", "quote"), ("attribution", "attribution"))
GOAL_FIELDS = (("narrative", "Narrative"), ("marked_title", "Title with footnote marks"))
# Texts people write, shown word by word however short.
PROSE_FIELDS = {"narrative", "quote", "text", "explanation"}
AWARD_FIELDS = (
    ("points", "points"),
    ("points_derived", "points chosen to fit a total"),
    ("explanation", "explanation"),
)


def status_words(status: str | None) -> str:
    """A status as people read it: "Partially met"."""
    try:
        return Status(status).label
    except ValueError:
        return display_value(status)


def points_words(points) -> str:
    """Points as the report card prints them: 1.5, 0 (an empty value stays empty)."""
    if points in (None, ""):
        return ""
    try:
        return fmt(Decimal(str(points)))
    except InvalidOperation:
        return str(points)


def goal_changes(before: dict, after: dict, *, max_points=None) -> list[Change]:
    """Every difference from `before` to `after`, two documents of one goal, in the order
    a reviewer reads a goal: score, narrative, citations, footnotes, tables,
    recommendations, insights, extra credit. `max_points` completes the points ("of 2.5")."""
    return [
        *_score(before, after, max_points),
        *_fields(before, after, GOAL_FIELDS),
        *_parts("Citation", before, after, "citations", _citation_key, CITATION_FIELDS),
        *_parts("Footnote", before, after, "footnotes", _footnote_key, (("text", "text"),)),
        *_parts("Table", before, after, "tables", None, TABLE_FIELDS),
        *_texts("Recommendation", before.get("recommendations"), after.get("recommendations")),
        *_parts("Insight", before, after, "insights", None, INSIGHT_FIELDS),
        *_parts("Extra credit", before, after, "extra_credit", _award_key, AWARD_FIELDS),
    ]


def _score(before: dict, after: dict, max_points) -> Iterator[Change]:
    """Status and points as one sentence: "Not met → Partially met, 0 → 1.5 of 2.5 points"."""
    status = (status_words(before.get("status")), status_words(after.get("status")))
    points = (points_words(before.get("points")), points_words(after.get("points")))
    derived = (bool(before.get("points_derived")), bool(after.get("points_derived")))
    if status[0] == status[1] and points[0] == points[1] and derived[0] == derived[1]:
        return
    shown_status = status[1] if status[0] == status[1] else f"{status[0]} → {status[1]}"
    shown_points = points[1] if points[0] == points[1] else f"{points[0]} → {points[1]}"
    of = f" of {points_words(max_points)}" if max_points is not None else ""
    words = f"{shown_status}, {shown_points}{of} points"
    if derived[0] != derived[1]:
        words += ", chosen to fit a total" if derived[1] else ", no longer chosen to fit a total"
    yield Change(
        field="score",
        label="Status and points",
        old=f"{status[0]}, {points[0]}",
        new=f"{status[1]}, {points[1]}",
        words=words,
    )


def _fields(before: dict, after: dict, fields, prefix: str = "") -> Iterator[Change]:
    for name, label in fields:
        shown = points_words if name == "points" else display_value
        old, new = shown(before.get(name)), shown(after.get(name))
        if old != new:
            named = f"{prefix} {label}" if prefix else label
            yield Change(
                field=name,
                label=named[:1].upper() + named[1:],
                old=old,
                new=new,
                prose=name in PROSE_FIELDS,
            )


def _citation_key(item: dict) -> str:
    return item.get("citation", "")


def _footnote_key(item: dict) -> str:
    return str(item.get("label", ""))


def _award_key(item: dict) -> str:
    return item.get("category", "")


def _occurrences(items: list[dict], key: Callable[[dict], str]) -> list[tuple[str, int]]:
    """Each item's key with its occurrence, so a statute cited twice matches in order."""
    seen: dict[str, int] = {}
    keys = []
    for item in items:
        name = key(item)
        seen[name] = seen.get(name, 0) + 1
        keys.append((name, seen[name]))
    return keys


def _parts(noun, before, after, name, key, fields) -> Iterator[Change]:
    """Parts added, removed and changed. Parts with a `key` are matched by it; the others
    (tables, insights) by their content, in order."""
    old, new = before.get(name) or [], after.get(name) or []
    if key is None:
        yield from _sequence(noun, old, new, fields)
        return
    old_keys, new_keys = _occurrences(old, key), _occurrences(new, key)
    old_at = {k: index for index, k in enumerate(old_keys)}
    new_at = {k: index for index, k in enumerate(new_keys)}
    for index, k in enumerate(old_keys):
        if k not in new_at:
            yield _whole(noun, index, old[index], key, added=False)
    for index, k in enumerate(new_keys):
        if k not in old_at:
            yield _whole(noun, index, new[index], key, added=True)
            continue
        was = old_at[k]
        title = f"{noun} {index + 1} ({k[0]})"
        if was != index and noun == "Citation":
            yield Change(
                field=name,
                label=f"{title} moved",
                old=f"quote {was + 1}",
                new=f"quote {index + 1}",
                words=f"now quote {index + 1} (was quote {was + 1})",
            )
        yield from _fields(old[was], new[index], fields, prefix=title)


def _whole(noun, index, item: dict, key, *, added: bool) -> Change:
    named = f" ({key(item)})" if key else ""
    shown = display_value(
        {field: value for field, value in item.items() if field != "statute" and value != ""}
    )
    change = Change(
        field=noun.lower(),
        label=f"{noun} {index + 1}{named} {'added' if added else 'removed'}",
        old="" if added else shown,
        new=shown if added else "",
    )
    if not change.is_long:  # said in full; a long one shows as its word diff
        change.words = shown
    return change


def _sequence(noun, old: list, new: list, fields) -> Iterator[Change]:
    """Unkeyed parts, matched by content: a part replaced in place shows as changed."""
    matcher = difflib.SequenceMatcher(a=[_shown(o) for o in old], b=[_shown(n) for n in new])
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(a2 - a1, b2 - b1) if tag == "replace" else 0
        for offset in range(paired):
            a, b = old[a1 + offset], new[b1 + offset]
            yield from _fields(a, b, fields, prefix=f"{noun} {b1 + offset + 1}")
        for index in range(a1 + paired, a2):
            yield _whole(noun, index, old[index], None, added=False)
        for index in range(b1 + paired, b2):
            yield _whole(noun, index, new[index], None, added=True)


def _shown(item) -> str:
    return display_value(item)


def _texts(noun, old, new) -> Iterator[Change]:
    """A list of texts (recommendations): added, removed, or reworded in place."""
    wrapped_old = [{"text": text} for text in old or []]
    wrapped_new = [{"text": text} for text in new or []]
    for change in _sequence(noun, wrapped_old, wrapped_new, (("text", "text"),)):
        if change.label.endswith(" text"):
            change.label = change.label.removesuffix(" text")
        change.old = change.old.removeprefix("text: ")
        change.new = change.new.removeprefix("text: ")
        change.words = change.words.removeprefix("text: ")
        yield change
