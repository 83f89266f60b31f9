"""The audit log: every recorded change, oldest first, as CSV rows (who, when, what, why).

Two kinds of record make up the trail: the history tables of django-simple-history (every
create, edit and delete of an audited model, with its author and change reason) and the
review events (submit, approve, request changes, reopen, with the reviewer's comment).
Each source is read in pages of PAGE_SIZE rows by keyset pagination (date, id), and the
sources are merged by date as they stream, so an export of any size holds a few pages in
memory and never runs an OFFSET scan.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from simple_history.utils import NotHistoricalModelError, get_history_model_for_model

from assessments.models import ReviewEvent, TextsReviewEvent

PAGE_SIZE = 500
HEADER = ["when", "who", "action", "what", "changed fields", "why"]
HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _history_models() -> list:
    found = []
    for model in apps.get_models():
        try:
            found.append(get_history_model_for_model(model))
        except NotHistoricalModelError:
            continue
    return found


def _keyset_pages(queryset: QuerySet, date: str, key: str) -> Iterator[list]:
    """The queryset in pages ordered by (date, key), each page starting after the last."""
    ordered = queryset.order_by(date, key)
    last = None
    while True:
        page = ordered
        if last is not None:
            after = getattr(last, date)
            page = page.filter(
                Q(**{f"{date}__gt": after}) | Q(**{date: after, f"{key}__gt": getattr(last, key)})
            )
        rows = list(page[:PAGE_SIZE])
        if not rows:
            return
        yield rows
        last = rows[-1]


def _who(user) -> str:
    return user.get_username() if user is not None else "system"


def _history_rows(history_model) -> Iterator[tuple]:
    tracked = history_model.instance_type
    pk_name = tracked._meta.pk.attname
    previous = history_model.objects.filter(
        **{pk_name: OuterRef(pk_name), "history_date__lt": OuterRef("history_date")}
    ).order_by("-history_date", "-history_id")
    records = history_model.objects.select_related("history_user").annotate(
        previous_id=Subquery(previous.values("history_id")[:1])
    )
    label = tracked._meta.verbose_name
    for page in _keyset_pages(records, "history_date", "history_id"):
        earlier = history_model.objects.in_bulk([r.previous_id for r in page if r.previous_id])
        for record in page:
            before = earlier.get(record.previous_id)
            changed = ""
            if record.history_type == "~" and before is not None:
                changed = ", ".join(record.diff_against(before).changed_fields)
            yield (
                record.history_date,
                _who(record.history_user),
                HISTORY_ACTIONS.get(record.history_type, record.history_type),
                f"{label} #{getattr(record, pk_name)}",
                changed,
                record.history_change_reason or "",
            )


def _review_rows() -> Iterator[tuple]:
    events = ReviewEvent.objects.select_related(
        "actor",
        "determination__goal",
        "determination__assessment__jurisdiction",
        "determination__assessment__cycle",
    )
    for page in _keyset_pages(events, "created_at", "id"):
        for event in page:
            determination = event.determination
            assessment = determination.assessment
            yield (
                event.created_at,
                _who(event.actor),
                f"review: {event.get_action_display().lower()}",
                f"goal determination #{determination.pk} ({assessment.jurisdiction.code} "
                f"{assessment.cycle.year} goal {determination.goal.number}, "
                f"version {event.version})",
                "",
                event.comment,
            )


def _texts_review_rows() -> Iterator[tuple]:
    events = TextsReviewEvent.objects.select_related(
        "actor", "assessment__jurisdiction", "assessment__cycle"
    )
    for page in _keyset_pages(events, "created_at", "id"):
        for event in page:
            assessment = event.assessment
            yield (
                event.created_at,
                _who(event.actor),
                f"review: {event.get_action_display().lower()}",
                f"state texts of assessment #{assessment.pk} ({assessment.jurisdiction.code} "
                f"{assessment.cycle.year}, version {event.version})",
                "",
                event.comment,
            )


def audit_rows() -> Iterable[list[str]]:
    """The header, then every change across all sources, oldest first."""
    yield HEADER
    sources = [_history_rows(model) for model in _history_models()]
    sources += [_review_rows(), _texts_review_rows()]
    for when, *rest in heapq.merge(*sources, key=lambda row: row[0]):
        yield [timezone.localtime(when).isoformat(), *rest]
