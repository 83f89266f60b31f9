"""Users who are signed in but hold no staff role (no role yet, or only Data reader) see one
page saying so, and nothing else. The API answers its own clients (api/auth.py)."""

from django.shortcuts import render
from django.urls import reverse

from .roles import has_staff_role

# Pages every signed-in user needs whatever their roles: leaving, and their own password.
OPEN_TO_ALL = ("logout", "password_change", "password_change_done")
# The read-only API checks its callers itself and answers in JSON, not with this page.
API_PREFIX = "/api/"


class RoleRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            self._without_role(request)
            and request.path not in self._open_paths()
            and not request.path.startswith(API_PREFIX)
        ):
            return render(request, "registration/no_access.html", status=403)
        return self.get_response(request)

    @staticmethod
    def _without_role(request) -> bool:
        user = request.user
        return user.is_authenticated and not has_staff_role(user)

    @staticmethod
    def _open_paths() -> set[str]:
        return {reverse(name) for name in OPEN_TO_ALL}
