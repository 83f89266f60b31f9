"""Django's model backend, reading the user of a session together with their groups.

Roles are groups (accounts/roles.py), and a page asks for them several times: the role
middleware, the navigation, each permission the page offers. Reading the groups with the
user (`prefetch_related`) answers all of those from the one user object of the request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ModelBackendWithGroups(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.prefetch_related("groups")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
