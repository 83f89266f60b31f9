"""Reads of the API: released cycles, and each cycle's released report cards as the API
answers them. Only `released_reports` is read for card figures: never a draft, a preview
or a version under embargo."""

from __future__ import annotations

from django.db.models import Max

from assessments.models import Cycle
from reportcards.models import JobState, ReleaseJob
from reportcards.selectors import ReleasedReport, cycle_release, released_reports
from statutes.models import Jurisdiction


def released_cycles() -> list[dict]:
    """Every cycle with a completed release, newest first, with when it was released."""
    released = dict(
        ReleaseJob.objects.filter(state=JobState.DONE)
        .values("cycle_id")
        .annotate(at=Max("finished_at"))
        .values_list("cycle_id", "at")
    )
    cycles = Cycle.objects.filter(pk__in=released).select_related("framework").order_by("-year")
    return [
        {
            "year": cycle.year,
            "framework": str(cycle.framework),
            "legislative_cutoff": cycle.legislative_cutoff,
            "released_at": released[cycle.pk],
        }
        for cycle in cycles
    ]


class NotReleased(LookupError):
    """The message says what is not there, for the API's 404."""


def released_cycle(year: int) -> Cycle:
    """The cycle of `year` if it was released (not before, also not during an embargo)."""
    cycle = Cycle.objects.select_related("framework").filter(year=year).first()
    if cycle is None or cycle_release(cycle.pk) is None:
        raise NotReleased(f"No released cycle {year}: the cycle is unknown or not released yet.")
    return cycle


def matching(reports: list[ReleasedReport], *, code=None, grade=None, tier=None) -> list:
    """The reports the filters keep (each filter left out keeps all)."""
    return [
        report
        for report in reports
        if (code is None or report.card.code == code.upper())
        and (grade is None or report.card.grade == grade.upper())
        and (tier is None or report.card.tier == tier)
    ]


def report_cards(year: int, **filters) -> list[dict]:
    reports = released_reports(released_cycle(year))
    return [card_out(report) for report in matching(reports, **filters)]


def report_card(year: int, code: str) -> dict:
    found = report_cards(year, code=code)
    if not found:
        raise NotReleased(f"No released report card of {code.upper()} in {year}.")
    return found[0]


def card_out(report: ReleasedReport) -> dict:
    card, published = report.card, report.published
    return {
        "jurisdiction": card.code,
        "name": card.jurisdiction,
        "year": card.year,
        "version": published.version,
        "published_at": published.published_at,
        "errata": card.edition.errata if card.edition else published.note,
        "pdf_sha256": published.sha256,
        "synthetic": card.synthetic,
        "as_of": card.as_of,
        "total": card.total,
        "total_max": card.framework.total_max,
        "grade": card.grade,
        "rank": card.rank,
        "tied": card.tied,
        "tier": card.tier,
        "jurisdiction_count": card.jurisdiction_count,
        # The schemas read the frozen dataclasses field by field.
        "issues": list(card.issues),
        "extra_credit": list(card.extra_credit),
    }


def jurisdictions():
    """A queryset, so that a page reads only its own rows."""
    return Jurisdiction.objects.order_by("code").values("code", "name", "kind")
