"""Issuing API tokens and finding the one a request presents."""

from __future__ import annotations

import hashlib
import secrets

from accounts.roles import Role, has_role

from .models import ApiToken

TOKEN_PREFIX = "rc_"  # noqa: S105 (a marker that says what the string is, not a secret)
READER_ROLES = tuple(Role)  # a Data reader or any staff role


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def may_hold_token(user) -> bool:
    return has_role(user, *READER_ROLES)


def token_issue(token: ApiToken, *, issued_by) -> str:
    """Give the unsaved `token` a new secret and save it; returns the secret, the only
    time it can be read."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token.key_sha256 = digest(raw)
    token.prefix = raw[:10]
    token.created_by = issued_by
    token.save()
    return raw


def token_holder(raw: str) -> ApiToken | None:
    """The live token `raw` is, if its user may still read; None for anything else."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_sha256=digest(raw), revoked=False)
        .first()
    )
    if token is None or not may_hold_token(token.user):
        return None
    return token
