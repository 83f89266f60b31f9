"""Template filters printing scores the way the report card does: 16, 8.5, 2.25."""

from decimal import Decimal, InvalidOperation

from django import template

from assessments.scoring import fmt

register = template.Library()


@register.filter
def score(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        return fmt(Decimal(str(value)))
    except InvalidOperation:
        return str(value)
