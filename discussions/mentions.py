"""@mentions in a comment: `@username` names a user who may see the goal (an active user
holding a role). A name nobody answers to is an error the writer fixes, never dropped."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.roles import STAFF_ROLES

# A username's characters (Django's default validator), after an @ that does not follow a
# word character: "@reviewer," and "(@reviewer)" mention, "name@example.org" does not. A
# final "." ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")


def mentioned_names(text: str) -> list[str]:
    """The usernames `text` mentions, each once, in order."""
    names = (match.group(1).rstrip(".") for match in MENTION.finditer(text))
    return list(dict.fromkeys(name for name in names if name))


def mentioned_users(text: str) -> tuple[list, list[str]]:
    """(the users `text` mentions, the names no such user answers to)."""
    names = mentioned_names(text)
    if not names:
        return [], []
    users = (
        get_user_model()
        .objects.filter(is_active=True, username__in=names)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[role.value for role in STAFF_ROLES]))
        .distinct()
    )
    found = {user.username: user for user in users}
    return [found[name] for name in names if name in found], [
        name for name in names if name not in found
    ]
