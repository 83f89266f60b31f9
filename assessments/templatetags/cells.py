"""Filters for the cells of long tables (the overview's 40 goals, the review queue).

Cheaper stand-ins for what those cells did with {% include %} and |truncatechars, which
cost more than everything else on a row: badges built with format_html, and a clip that
cuts plain text without parsing it as HTML.
"""

from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_BADGES = {
    "fully_met": ("status-full", "● Fully met"),
    "partially_met": ("status-partial", "◐ Partially met"),
}
NOT_MET_BADGE = ("status-not", "○ Not met")
STATE_BADGES = {
    "approved": ("text-bg-success", "Approved"),
    "submitted": ("text-bg-primary", "Submitted"),
}
DRAFT_BADGE = ("text-bg-secondary", "Draft")


@register.filter
def status_badge(status: str) -> str:
    css, label = STATUS_BADGES.get(status, NOT_MET_BADGE)
    return format_html('<span class="status {}">{}</span>', css, label)


@register.filter
def state_badge(state: str) -> str:
    css, label = STATE_BADGES.get(state, DRAFT_BADGE)
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.filter
def clip(text: str, length: int) -> str:
    """`text` cut to at most `length` characters, the last one an ellipsis when cut."""
    if len(text) <= length:
        return text
    return text[: length - 1].rstrip() + "…"
