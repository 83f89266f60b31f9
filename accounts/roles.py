"""Roles are Django groups; every view checks them on the server.

Admins (superusers or the Admin group) may do everything. A user without the role gets
403 Forbidden; an anonymous user is sent to the login page by LoginRequiredMiddleware.
The staff roles open the app's pages; a Data reader only reads published data through the
API (api/), with a token an admin issued, and sees no staff page.
"""

from __future__ import annotations

from enum import StrEnum
from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q


class Role(StrEnum):
    ANALYST = "Analyst"
    REVIEWER = "Reviewer"
    PUBLISHER = "Publisher"
    ADMIN = "Admin"
    DATA_READER = "Data reader"


STAFF_ROLES = (Role.ANALYST, Role.REVIEWER, Role.PUBLISHER, Role.ADMIN)


def user_roles(user) -> set[Role]:
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Role)
    # all(), not values_list(): the groups read with the session's user answer it
    # (accounts/backends.py).
    names = {group.name for group in user.groups.all()}
    if Role.ADMIN in names:
        return set(Role)
    return {role for role in Role if role.value in names}


def has_role(user, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def has_staff_role(user) -> bool:
    """Whether the user may open the app's pages (any role but Data reader)."""
    return has_role(user, *STAFF_ROLES)


def users_with_role(role: Role):
    """Active users holding `role` (admins hold every role), by username: one query."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[role.value, Role.ADMIN.value]))
        .distinct()
        .order_by("username")
    )


def role_required(*roles: Role):
    """Allow the view only to users holding one of `roles` (or admins)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied(
                    "This page needs the role " + " or ".join(role.value for role in roles) + "."
                )
            return view(request, *args, **kwargs)

        wrapper.required_roles = roles
        return wrapper

    return decorator
