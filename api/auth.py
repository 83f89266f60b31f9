"""Who may call the API: a script with a token an admin issued (Authorization: Bearer …),
or a staff user signed in to the app (GET only, so the session needs no CSRF token).

What authentication returns becomes `request.auth`, the key the throttle counts by: one
budget per token, one per signed-in user.
"""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from accounts.roles import has_staff_role

from .tokens import token_holder


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> str | None:
        holder = token_holder(token)
        return f"token:{holder.pk}" if holder else None


class StaffSessionAuth(SessionAuth):
    """A signed-in user holding a staff role; a Data reader uses a token instead."""

    def authenticate(self, request, key) -> str | None:
        user = request.user
        if user.is_authenticated and has_staff_role(user):
            return f"user:{user.pk}"
        return None


UNAUTHORIZED = (
    "Send an API token (header “Authorization: Bearer <token>”; an admin issues tokens) "
    "or sign in to the app as staff."
)
