"""Form fields shared by every app (statutes sits at the bottom of the import chain).

Every text a form takes goes through one of these, so every form refuses control
characters the same way (core.limits) and keeps what was typed when it does. Text printed
on the report card in the narrative format (docs/narrative-format.md) takes a Narrative
field, which refuses what the format does not support with the parser's own message, the
same in the goal editor, the state texts and the statute library.
"""

from django import forms
from django.core.exceptions import ValidationError

from core import narrative
from core.limits import STATUTE_TEXT_MAX_CHARS, TEXT_MAX_CHARS, control_character_problem


class _NoControlCharacters:
    def __init__(self, *, multiline: bool):
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        if problem := control_character_problem(value, multiline=self.multiline):
            raise ValidationError(f"This text {problem}.", code="control_character")


class LineField(forms.CharField):
    """One line of text: no control characters at all."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(_NoControlCharacters(multiline=False))


class TextField(forms.CharField):
    """A text area's value with browser line endings (CRLF) turned into plain newlines,
    so saving unchanged text records no change and diffs show only real edits. Tabs and
    line breaks are kept, other control characters refused; at most `longest` characters
    unless the field is given a `max_length`."""

    longest = TEXT_MAX_CHARS

    def __init__(self, *, max_length=None, **kwargs):
        super().__init__(max_length=max_length or self.longest, **kwargs)
        self.validators.append(_NoControlCharacters(multiline=True))

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class StatuteTextField(TextField):
    """The full text of a statute, which may run much longer than other prose."""

    longest = STATUTE_TEXT_MAX_CHARS


def in_narrative_format(value: str) -> None:
    """Refuse HTML, images, other link schemes and every other construct outside the
    narrative format, each named with its line (core.narrative.format_error)."""
    if error := narrative.format_error(value, "This text"):
        raise ValidationError(error, code="narrative_format")


class NarrativeField(TextField):
    """Text printed on the card: refused when it uses what the narrative format does not
    support (docs/narrative-format.md), with the construct and its line named."""

    default_validators = [in_narrative_format]


class NarrativeLineField(LineField):
    """One line printed on the card (a statute's citation or caption, an attribution):
    the PDF reads it as inline narrative, so the same constructs are refused."""

    default_validators = [in_narrative_format]
