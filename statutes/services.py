"""Writes to the statute library: adding and editing statutes and bills (DESIGN.md §2).

Every save records the acting user and a change reason in the statute's history. Edits
follow the project's conflict convention (core.conflicts): the form carries the version
it was filled from, and a save over a newer version raises EditConflict, writing nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.conflicts import check_version, lock_for_edit
from core.retry import retry_once

from .models import Bill, Jurisdiction, Statute
from .selectors import statute_latest_record


@dataclass
class StatuteData:
    """What an analyst edits on a statute."""

    citation: str
    caption: str = ""
    text: str = ""
    enacted_date: datetime.date | None = None
    effective_date: datetime.date | None = None
    amendment_note: str = ""

    def apply_to(self, statute: Statute) -> None:
        statute.citation = " ".join((self.citation or "").split())
        statute.caption = self.caption
        statute.text = self.text
        statute.enacted_date = self.enacted_date
        statute.effective_date = self.effective_date
        statute.amendment_note = self.amendment_note


def _refuse_duplicate(statute: Statute) -> None:
    others = Statute.objects.filter(
        jurisdiction=statute.jurisdiction, citation__iexact=statute.citation
    ).exclude(pk=statute.pk)
    if others.exists():
        raise ValidationError(
            {
                "citation": (
                    f"{statute.jurisdiction.name} already has a statute cited as "
                    f"“{statute.citation}”. "
                    "Change the citation, or edit the existing statute instead."
                )
            }
        )


@dataclass
class BillData:
    """What an analyst edits on a bill."""

    number: str
    session: str
    status: str = Bill.Status.PENDING
    enacted_date: datetime.date | None = None
    effective_date: datetime.date | None = None

    def apply_to(self, bill: Bill) -> None:
        bill.number = " ".join((self.number or "").split())
        bill.session = " ".join((self.session or "").split())
        bill.status = self.status
        bill.enacted_date = self.enacted_date
        bill.effective_date = self.effective_date


def _refuse_duplicate_bill(bill: Bill) -> None:
    others = Bill.objects.filter(
        jurisdiction=bill.jurisdiction, session__iexact=bill.session, number__iexact=bill.number
    ).exclude(pk=bill.pk)
    if other := others.first():
        raise ValidationError(
            {
                "number": f"{bill.jurisdiction.name} already has {other.number} in the "
                f"{other.session}. Edit that bill instead."
            }
        )


@dataclass(frozen=True)
class _Kind:
    """What tells a statute's edit from a bill's: the model, the word in messages, the
    field that names one in a conflict, and its duplicate check."""

    model: type[Statute | Bill]
    noun: str
    label: str
    refuse_duplicate: Callable[[Statute | Bill], None]


_STATUTE = _Kind(Statute, "statute", "citation", _refuse_duplicate)
_BILL = _Kind(Bill, "bill", "number", _refuse_duplicate_bill)
_KINDS = {StatuteData: _STATUTE, BillData: _BILL}


def _save(record: Statute | Bill, *, user, change_reason: str, kind: _Kind) -> None:
    """Validate and save a statute or bill with who and why in its history."""
    record.full_clean(validate_unique=False, validate_constraints=False)
    kind.refuse_duplicate(record)
    if user is not None and user.is_authenticated:
        record._history_user = user
    record._change_reason = change_reason
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # a concurrent insert of the same statute or bill won the race
        kind.refuse_duplicate(record)
        raise


@retry_once
@transaction.atomic
def library_add(
    *,
    jurisdiction: Jurisdiction,
    data: StatuteData | BillData,
    user=None,
    change_reason: str = "Added to the statute library.",
) -> Statute | Bill:
    """Add a statute (for StatuteData) or a bill (for BillData) to the jurisdiction's
    library, at version 1.

    Raises ValidationError (keyed by field) for an empty citation, a statute or bill
    already there, an enacted date on a bill not enacted, or a date outside the years of
    law.
    """
    kind = _KINDS[type(data)]
    record = kind.model(jurisdiction=jurisdiction)
    data.apply_to(record)
    _save(record, user=user, change_reason=change_reason, kind=kind)
    return record


@retry_once
@transaction.atomic
def library_update(
    *, pk: int, expected_version: int, data: StatuteData | BillData, change_reason: str, user=None
) -> Statute | Bill:
    """Save new values for the statute (for StatuteData) or bill (for BillData: its status
    and dates as it moves through the legislature) as its next version, if it is still at
    `expected_version`.

    Raises EditConflict, writing nothing, when someone saved a newer version;
    ValidationError as `library_add` does, or for a missing change reason;
    Statute.DoesNotExist (Bill.DoesNotExist) when it was deleted.
    """
    kind = _KINDS[type(data)]
    change_reason = " ".join((change_reason or "").split())
    if not change_reason:
        raise ValidationError({"change_reason": f"Say briefly why the {kind.noun} changes."})
    record = lock_for_edit(kind.model.objects.select_related("jurisdiction"), pk)
    latest = statute_latest_record(record)
    editor = latest.history_user.get_username() if latest and latest.history_user else ""
    check_version(record, expected_version, label=getattr(record, kind.label), editor=editor)
    data.apply_to(record)
    record.version += 1
    _save(record, user=user, change_reason=change_reason, kind=kind)
    return record
