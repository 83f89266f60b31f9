"""Template filters printing scores the way the report card does (16, 8.5, 2.25), and
whether stored scores are current."""

from decimal import Decimal, InvalidOperation

from django import template

from assessments import selectors
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


@register.filter
def scores_current(state) -> bool:
    """Whether a cycle's stored scores are current, by the one rule of
    `assessments.selectors.scores_current`."""
    return selectors.scores_current(state)
