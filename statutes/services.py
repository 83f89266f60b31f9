"""Writes to the statute library: adding and editing statutes and bills (DESIGN.md §2).

Every save records the acting user and a change reason in the statute's history. Edits
follow the project's conflict convention (core.conflicts): the form carries the version
it was filled from, and a save over a newer version raises EditConflict, writing nothing.
"""

from __future__ import annotations

import datetime
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


@retry_once
@transaction.atomic
def statute_create(
    *,
    jurisdiction: Jurisdiction,
    data: StatuteData,
    user=None,
    change_reason: str = "Added to the statute library.",
) -> Statute:
    """Add a statute to the jurisdiction's library, at version 1.

    Raises ValidationError (keyed by field) when the citation is empty or already used
    in this jurisdiction.
    """
    statute = Statute(jurisdiction=jurisdiction)
    data.apply_to(statute)
    _save(statute, user=user, change_reason=change_reason)
    return statute


@retry_once
@transaction.atomic
def statute_update(
    *, statute_id: int, expected_version: int, data: StatuteData, change_reason: str, user=None
) -> Statute:
    """Save new values for the statute as its next version, if it is still at
    `expected_version`.

    Raises EditConflict, writing nothing, when someone saved a newer version;
    ValidationError for a missing change reason, an empty or duplicate citation;
    Statute.DoesNotExist when it was deleted.
    """
    change_reason = " ".join((change_reason or "").split())
    if not change_reason:
        raise ValidationError({"change_reason": "Say briefly why the statute changes."})
    statute = lock_for_edit(Statute.objects.select_related("jurisdiction"), statute_id)
    latest = statute_latest_record(statute)
    editor = latest.history_user.get_username() if latest and latest.history_user else ""
    check_version(statute, expected_version, label=statute.citation, editor=editor)
    data.apply_to(statute)
    statute.version += 1
    _save(statute, user=user, change_reason=change_reason)
    return statute


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


def _save_bill(bill: Bill, *, user, change_reason: str) -> None:
    bill.full_clean(validate_unique=False, validate_constraints=False)
    _refuse_duplicate_bill(bill)
    if user is not None and user.is_authenticated:
        bill._history_user = user
    bill._change_reason = change_reason
    try:
        with transaction.atomic():
            bill.save()
    except IntegrityError:  # a concurrent insert of the same bill won the race
        _refuse_duplicate_bill(bill)
        raise


@retry_once
@transaction.atomic
def bill_create(
    *,
    jurisdiction: Jurisdiction,
    data: BillData,
    user=None,
    change_reason: str = "Added to the statute library.",
) -> Bill:
    """Add a bill to the jurisdiction's library, at version 1.

    Raises ValidationError (keyed by field) for a bill already there, an enacted date on a
    bill not enacted, or a date outside the years of law.
    """
    bill = Bill(jurisdiction=jurisdiction)
    data.apply_to(bill)
    _save_bill(bill, user=user, change_reason=change_reason)
    return bill


@retry_once
@transaction.atomic
def bill_update(
    *, bill_id: int, expected_version: int, data: BillData, change_reason: str, user=None
) -> Bill:
    """Save new values for the bill (its status and dates as it moves through the
    legislature) as its next version, if it is still at `expected_version`.

    Raises EditConflict, writing nothing, when someone saved a newer version;
    ValidationError as `bill_create` does, or for a missing change reason.
    """
    change_reason = " ".join((change_reason or "").split())
    if not change_reason:
        raise ValidationError({"change_reason": "Say briefly why the bill changes."})
    bill = lock_for_edit(Bill.objects.select_related("jurisdiction"), bill_id)
    latest = bill.history.select_related("history_user").order_by("-history_id").first()
    editor = latest.history_user.get_username() if latest and latest.history_user else ""
    check_version(bill, expected_version, label=bill.number, editor=editor)
    data.apply_to(bill)
    bill.version += 1
    _save_bill(bill, user=user, change_reason=change_reason)
    return bill
