"""`{% discussion assessment determination %}`: the threads block of a goal page (or, with
determination None, of the state texts page), so those pages include it in one line."""

from django import template

from assessments import permissions
from core.limits import COMMENT_MAX_CHARS

from .. import selectors

register = template.Library()


@register.inclusion_tag("discussions/_discussion.html", takes_context=True)
def discussion(context, assessment, determination=None):
    user = context["request"].user
    return {
        "assessment": assessment,
        "determination": determination,
        "threads": selectors.goal_threads(assessment, determination),
        "can_discuss": permissions.can_discuss(user),
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "max_chars": COMMENT_MAX_CHARS,
    }
