"""Writes to the statute library: adding and editing statutes (DESIGN.md §2).

Every save records the acting user and a change reason in the statute's history. Edits
are checked optimistically against the version the editor started from, so a second
person saving over a newer version is refused instead of silently overwriting it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import Jurisdiction, Statute
from .selectors import statute_latest_record


class StatuteConflict(Exception):
    """Someone saved the statute after the editor opened it; nothing was written."""

    def __init__(self, *, statute: Statute, record):
        self.statute = statute  # as it is now in the database
        self.record = record  # the newest history record: who saved it, when and why
        super().__init__(f"{statute.citation} was changed by someone else meanwhile.")


def _normalized_citation(citation: str) -> str:
    return " ".join((citation or "").split())


def _refuse_duplicate(*, jurisdiction: Jurisdiction, citation: str, exclude_pk=None) -> None:
    others = Statute.objects.filter(jurisdiction=jurisdiction, citation__iexact=citation)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(
            {
                "citation": (
                    f"{jurisdiction.name} already has a statute cited as “{citation}”. "
                    "Change the citation, or edit the existing statute instead."
                )
            }
        )


def _save(statute: Statute, *, user, change_reason: str) -> None:
    statute.full_clean(validate_unique=False, validate_constraints=False)
    _refuse_duplicate(
        jurisdiction=statute.jurisdiction, citation=statute.citation, exclude_pk=statute.pk
    )
    if user is not None and user.is_authenticated:
        statute._history_user = user
    statute._change_reason = change_reason
    try:
        with transaction.atomic():
            statute.save()
    except IntegrityError:  # a concurrent insert of the same citation won the race
        _refuse_duplicate(jurisdiction=statute.jurisdiction, citation=statute.citation)
        raise


@transaction.atomic
def statute_create(
    *,
    jurisdiction: Jurisdiction,
    citation: str,
    caption: str = "",
    text: str = "",
    effective_date: datetime.date | None = None,
    amendment_note: str = "",
    user=None,
    change_reason: str = "Added to the statute library.",
) -> Statute:
    """Add a statute to the jurisdiction's library.

    Raises ValidationError (keyed by field) when the citation is empty or already used
    in this jurisdiction.
    """
    statute = Statute(
        jurisdiction=jurisdiction,
        citation=_normalized_citation(citation),
        caption=caption,
        text=text,
        effective_date=effective_date,
        amendment_note=amendment_note,
    )
    _save(statute, user=user, change_reason=change_reason)
    return statute


@transaction.atomic
def statute_update(
    *,
    statute: Statute,
    base_version: int | None,
    change_reason: str,
    citation: str,
    caption: str = "",
    text: str = "",
    effective_date: datetime.date | None = None,
    amendment_note: str = "",
    user=None,
) -> Statute:
    """Save new values for the statute, if nobody saved it since `base_version`.

    `base_version` is the history id of the version the editor started from
    (`selectors.statute_version`). Raises StatuteConflict, writing nothing, when a newer
    version exists; ValidationError for a missing change reason, an empty or duplicate
    citation.
    """
    change_reason = " ".join((change_reason or "").split())
    if not change_reason:
        raise ValidationError({"change_reason": "Say briefly why the statute changes."})
    # Lock the row (where the database can) so the version check and the save are one step.
    current = (
        Statute.objects.select_for_update(of=("self",))
        .select_related("jurisdiction")
        .get(pk=statute.pk)
    )
    latest = statute_latest_record(current)
    latest_version = latest.history_id if latest is not None else None
    if latest_version != base_version:
        raise StatuteConflict(statute=current, record=latest)
    current.citation = _normalized_citation(citation)
    current.caption = caption
    current.text = text
    current.effective_date = effective_date
    current.amendment_note = amendment_note
    _save(current, user=user, change_reason=change_reason)
    return current
