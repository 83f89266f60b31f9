"""What a page looks up from its URL, or a 404 that names what is missing."""

from __future__ import annotations

from django.http import Http404

from .models import Assessment, Cycle
from .selectors import assessment_for


def cycle_or_404(year: int, *related: str) -> Cycle:
    """The cycle of `year`, with its `related` foreign keys joined in."""
    cycles = Cycle.objects.filter(year=year)
    if related:
        cycles = cycles.select_related(*related)
    cycle = cycles.first()
    if cycle is None:
        raise Http404(f"There is no {year} cycle.")
    return cycle


def assessment_or_404(code: str, year: int) -> Assessment:
    """The assessment of jurisdiction `code` in the `year` cycle (jurisdiction and framework
    joined in)."""
    try:
        return assessment_for(code, year)
    except Assessment.DoesNotExist:
        raise Http404(f"No {year} assessment for “{code}”.") from None
