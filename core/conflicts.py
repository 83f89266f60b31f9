"""One convention for two people editing the same thing (DESIGN.md §5, optimistic locking).

Every editable entity has an integer `version`, raised by each save through its service.
An edit form carries the version it was filled from; the service locks the row, compares,
and raises `EditConflict`, writing nothing, when someone saved a newer version meanwhile.
The view then shows their version next to the user's (status 409) and keeps what the user
typed, now based on the newer version: saving again replaces it on purpose.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Model, QuerySet
from django.http import QueryDict
from simple_history.models import HistoricalRecords


class Versioned(models.Model):
    """An entity people edit: its version, raised by every edit, and its history."""

    version = models.PositiveIntegerField(default=1)
    # A searched model's stored search vector is derived from its text: not history.
    history = HistoricalRecords(inherit=True, excluded_fields=["search_vector"])

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Someone saved a newer version since the user loaded the page; nothing was written.

    `current` is the object as it is now in the database, `current_version` its version;
    the message names it with `label` ("goal 2.9") and who saved it with `editor`.
    """

    def __init__(self, *, current: Model, expected_version: int, label: str, editor: str = ""):
        self.current = current
        self.current_version = current.version
        self.expected_version = expected_version
        super().__init__(
            f"{editor or 'Someone else'} saved a newer version of {label} while you were "
            f"editing (you started from version {expected_version}; it is now version "
            f"{current.version}). Nothing was saved."
        )


def lock_for_edit(queryset: QuerySet, pk: int) -> Model:
    """The row `pk` of `queryset`, locked until the transaction ends where the database
    can lock rows (docs/architecture.md, "Locks").

    Only the row itself: rows joined by select_related stay free, so editing one goal does
    not block everyone working on the same assessment or jurisdiction. And only against
    other editors (FOR NO KEY UPDATE): rows that merely refer to it, such as a citation of
    a statute being edited, can still be written meanwhile.
    """
    return queryset.select_for_update(of=("self",), no_key=True).get(pk=pk)


def check_version(current: Model, expected_version: int, *, label: str, editor: str = ""):
    """Raise EditConflict unless `current` is still at the version the edit started from."""
    if current.version != expected_version:
        raise EditConflict(
            current=current, expected_version=expected_version, label=label, editor=editor
        )


def rebased(data: QueryDict, conflict: EditConflict, *, field: str = "version") -> QueryDict:
    """The submitted form data, now based on the version saved meanwhile: the user keeps
    everything typed, and saving again (after reading theirs) replaces it on purpose."""
    data = data.copy()
    data[field] = str(conflict.current_version)
    return data
