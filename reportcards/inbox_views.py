"""The "My work" inbox: the home page of every role (the national table is one click away).

Sections by the roles a user holds (admins hold them all): an analyst's sent-back and
other drafts, a reviewer's assigned and other submitted goals, a publisher's jurisdictions
ready to publish and those changed since they were published. Every section is paginated
on its own (`<section>_page`), so the page costs the same queries for 3 goals or 2,040.
"""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.roles import Role, user_roles
from assessments import inbox, permissions

from . import inbox as publisher_inbox

INBOX_PAGE_SIZE = 10


def _page(request, name: str, queryset):
    """One section's page; `page.links` holds its previous and next addresses, which keep
    the other sections' pages."""
    page = Paginator(queryset, INBOX_PAGE_SIZE).get_page(request.GET.get(f"{name}_page"))
    page.links = {}
    for rel, has, number in (
        ("prev", page.has_previous, page.number - 1),
        ("next", page.has_next, page.number + 1),
    ):
        if has():
            query = request.GET.copy()
            query[f"{name}_page"] = number
            page.links[rel] = "?" + query.urlencode()
    return page


def _analyst_sections(request, today):
    user = request.user
    return {
        "changes": _page(request, "changes", inbox.analyst_changes_requested(user, today=today)),
        "drafts": _page(request, "drafts", inbox.analyst_drafts(user, today=today)),
    }


def _reviewer_sections(request):
    user = request.user
    assigned = _page(request, "assigned", inbox.reviewer_assigned(user))
    others = _page(request, "others", inbox.reviewer_others(user))
    decisions = permissions.can_approve_each(user, [*assigned.object_list, *others.object_list])
    may_review = [d for d in others.object_list if decisions[d.pk]]
    return {
        "assigned": assigned,
        "assigned_rows": [(d, decisions[d.pk]) for d in assigned.object_list],
        "others": others,
        "others_rows": may_review,
        "others_left_out": len(others.object_list) - len(may_review),
    }


def _publisher_sections(request):
    ready = _page(request, "ready", publisher_inbox.ready_to_publish())
    return {
        "ready": ready,
        "ready_rows": publisher_inbox.with_gate(ready.object_list),
        "changed": _page(request, "changed", publisher_inbox.changed_since_published()),
    }


@require_safe
def my_work(request):
    """The inbox of the roles the user holds."""
    roles = user_roles(request.user)
    today = datetime.date.today()
    context = {"today": today, "roles": {role.name.lower() for role in roles}}
    if Role.ANALYST in roles:
        context["analyst"] = _analyst_sections(request, today)
    if Role.REVIEWER in roles:
        context["reviewer"] = _reviewer_sections(request)
    if Role.PUBLISHER in roles:
        context["publisher"] = _publisher_sections(request)
    return render(request, "reportcards/inbox.html", context)
