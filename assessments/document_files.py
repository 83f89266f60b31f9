"""Reading an assessment document from a JSON or YAML file, within the limits of core.limits.

Everything that could make parsing itself blow up is checked before the parser builds
anything: the file's size before it is read, how deeply its objects and lists nest before
they are built (Python's parsers recurse), and, in YAML, anchors and aliases (`&a`, `*a`),
which let a few bytes expand into megabytes. A number too long to convert is reported
instead of raising Python's own error.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from core import limits

YAML_SUFFIXES = {".yaml", ".yml"}
# In JSON, what can open or close a level or a string; everything else is skipped unread.
_JSON_STRUCTURE = re.compile(r'[\[\]{}"\\]')


class UnreadableDocument(Exception):
    """The file cannot be read as a document; the message says why, naming the file."""


def read_document_file(path: Path) -> Any:
    """The data of a JSON file, or of a YAML file (.yaml, .yml)."""
    try:
        size = path.stat().st_size
        if size > limits.FILE_MAX_BYTES:
            raise UnreadableDocument(
                f"{path} has {size:,} bytes; an import file may have at most "
                f"{limits.FILE_MAX_BYTES:,}."
            )
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UnreadableDocument(f"Cannot read {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise UnreadableDocument(f"{path} is not UTF-8 text.") from None
    try:
        if path.suffix.lower() in YAML_SUFFIXES:
            return _yaml(text)
        return _json(text)
    except UnreadableDocument as error:
        raise UnreadableDocument(f"{path} {error}") from None


def _json(text: str) -> Any:
    if _json_nesting_exceeds(text, limits.NESTING_MAX):
        raise UnreadableDocument(_too_deep())
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableDocument(
            f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except ValueError:  # int() refuses numbers of more than 4,300 digits
        raise UnreadableDocument(_number_too_long()) from None


def _json_nesting_exceeds(text: str, deepest: int) -> bool:
    """Whether objects and lists nest more than `deepest` levels, brackets inside strings
    not counted."""
    depth, in_string, escaped_at = 0, False, -1
    for match in _JSON_STRUCTURE.finditer(text):
        char, at = match.group(), match.start()
        if in_string:
            if at == escaped_at:
                continue
            if char == "\\":
                escaped_at = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _yaml(text: str) -> Any:
    try:
        _check_yaml_events(text)
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise UnreadableDocument(f"is not valid YAML: {error}") from None
    except ValueError:  # int() refuses numbers of more than 4,300 digits
        raise UnreadableDocument(_number_too_long()) from None


def _check_yaml_events(text: str) -> None:
    """Refuses anchors, aliases and deep nesting from the parser's events, which it produces
    without building (or recursing into) anything."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise UnreadableDocument(
                f"uses a YAML anchor or alias at line {mark.line + 1}; anchors and aliases "
                "(&name, *name) are not accepted: write each value out where it belongs."
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.NESTING_MAX:
                raise UnreadableDocument(_too_deep())
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _too_deep() -> str:
    return (
        f"nests objects and lists more than {limits.NESTING_MAX} levels deep; "
        "an assessment document needs 7."
    )


def _number_too_long() -> str:
    return (
        f"holds a number of more than {sys.get_int_max_str_digits():,} digits; "
        "no value of an assessment comes near that."
    )
