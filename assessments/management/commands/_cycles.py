"""Shared argument parsing for the cycle and jurisdiction commands."""

from django.core.management.base import CommandError

from assessments.models import Cycle


def cycle_or_error(year) -> Cycle:
    try:
        return Cycle.objects.select_related("framework").get(year=int(year))
    except (Cycle.DoesNotExist, ValueError):
        known = ", ".join(str(y) for y in Cycle.objects.values_list("year", flat=True)) or "none"
        raise CommandError(f"There is no {year} cycle (known cycles: {known}).") from None
