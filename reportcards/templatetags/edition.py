"""Tags of the HTML edition's templates (reportcards/edition.py): each text through the
narrative renderer, its footnote marks linked to the card's notes (`notes` in the context)."""

from django import template

from reportcards import edition

register = template.Library()


@register.simple_tag(takes_context=True)
def rich(context, text, scope):
    """A text of blocks (narrative, summary, footnote) whose marks belong to `scope`."""
    return edition.rich(str(text or ""), context["notes"], str(scope))


@register.simple_tag(takes_context=True)
def rich_inline(context, text, scope):
    """A one-line text (a title, a cell, a recommendation)."""
    return edition.rich_inline(str(text or ""), context["notes"], str(scope))


@register.simple_tag(takes_context=True)
def goal_narrative(context, goal):
    return edition.goal_narrative(goal, context["notes"])


@register.simple_tag(takes_context=True)
def note_id(context, scope, label):
    return context["notes"].note_id(str(scope), str(label))


@register.simple_tag(takes_context=True)
def note_back(context, scope, label):
    """The id of the note's first mark, or "" when nothing points at it."""
    return context["notes"].back_link(str(scope), str(label)) or ""
