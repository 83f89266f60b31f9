"""Form fields shared by every app (statutes sits at the bottom of the import chain)."""

from django import forms


class TextField(forms.CharField):
    """A text area's value with browser line endings (CRLF) turned into plain newlines,
    so saving unchanged text records no change and diffs show only real edits."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value
