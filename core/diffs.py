"""What changed between two saved versions, for every page that shows it: the history of
goals, assessments and statutes, and the review of a goal since its last approval.

Versions are django-simple-history records, compared field by field with its public
`diff_against`. Each difference is a `Change` of display strings. A short value shows as
old → new; a long one (`is_long`) either as the whole text with word-level <del>/<ins>
marks (`word_diff`), or, for long texts where a sentence or two changed, as those
sentences with one of context (`compact_diff`).
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

LONG = 80  # characters; longer values, or several lines, are diffed rather than repeated


@dataclass
class Change:
    field: str  # the model field's name
    label: str  # its verbose name, as shown
    old: str  # display_value of the old value; "" when empty
    new: str
    words: str = ""  # the whole change as one sentence, where one says it better
    prose: bool = False  # a text people write: shown word by word, however short

    @property
    def headline(self) -> str:
        """The change in a few words, for lists that summarise (the review queue)."""
        return f"{self.label}: {self.words}" if self.words else f"{self.label} changed"

    @property
    def differs(self) -> bool:
        return self.old != self.new

    @property
    def is_long(self) -> bool:
        if self.prose:
            return True
        return len(self.old) > LONG or len(self.new) > LONG or "\n" in self.old + self.new

    @property
    def word_diff(self) -> SafeString:
        return word_diff_html(self.old, self.new)

    @property
    def compact_diff(self) -> list[tuple[str, str]]:
        return compact_diff(self.old, self.new)


def display_value(value) -> str:
    """A value as shown in a diff: lists and dicts one item a line, dates in ISO form, ""
    for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return "\n".join(display_value(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(f"{key}: {display_value(item)}" for key, item in value.items())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record_changes(record, previous, *, fields=None, hidden=(), value_labels=None) -> list[Change]:
    """What changed from `previous` to `record`, two history records of one row: the
    `fields` given (in that order) or every tracked field but the `hidden` ones. When
    `previous` is None (the row was created), the `fields` given that have a value.

    `value_labels` maps (field name, value) to what to show instead, e.g. a statute's
    citation for its id.
    """
    labels = value_labels or {}
    if previous is None:
        created = (
            _change(record, name, None, getattr(record, name), labels) for name in fields or ()
        )
        return [change for change in created if change.new]
    delta = record.diff_against(previous, included_fields=fields, excluded_fields=hidden)
    changes = [_change(record, c.field, c.old, c.new, labels) for c in delta.changes]
    if fields:
        changes.sort(key=lambda change: list(fields).index(change.field))
    return changes


def compare(old, new, fields, *, model) -> list[Change]:
    """Field by field, two versions of a `model` row (saved, or as a user submitted it),
    whether they differ or not: the `fields` named, read as attributes of both."""
    return [_change(model, name, getattr(old, name), getattr(new, name), {}) for name in fields]


def _change(model, name: str, old, new, value_labels: dict) -> Change:
    field = model._meta.get_field(name)
    label = str(field.verbose_name)
    # A field with choices shows its values in words ("Partially met", not partially_met).
    labels = {**{(name, value): str(text) for value, text in field.flatchoices}, **value_labels}
    return Change(
        field=name,
        label=label[:1].upper() + label[1:],
        old=_shown(name, old, labels),
        new=_shown(name, new, labels),
    )


def _shown(name: str, value, value_labels: dict) -> str:
    if isinstance(value, list | dict):
        return display_value(value)
    if isinstance(value, Decimal):
        return decimal_words(value)
    return value_labels.get((name, value)) or display_value(value)


def decimal_words(value: Decimal) -> str:
    """A number as people write it: 1.5 and 0, not 1.50 and 0.00."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def word_diff_html(old: str, new: str) -> SafeString:
    """Old and new text as one escaped HTML string with <del> and <ins> marks."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(html.escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{html.escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{html.escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece is escaped above


def _chunks(text: str) -> list[str]:
    """Lines of text, further cut after sentences, semicolons and commas, for diffing."""
    chunks = []
    for line in (text or "").splitlines():
        chunks.extend(part for part in re.split(r"(?<=[.;:,])\s+", line) if part)
    return chunks


def compact_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A unified diff of two texts with one chunk of context, as (kind, chunk) pairs where
    kind is "hunk" (a gap), "del", "add" or "same"."""
    lines = []
    for line in difflib.unified_diff(_chunks(old), _chunks(new), n=1, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(("hunk", "…"))
        else:
            kind = {"-": "del", "+": "add"}.get(line[:1], "same")
            lines.append((kind, line[1:]))
    return lines
