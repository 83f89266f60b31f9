"""Users who are signed in but hold no role yet see one page saying so, and nothing else."""

from django.shortcuts import render
from django.urls import reverse

from .roles import user_roles

# Pages every signed-in user needs whatever their roles: leaving, and their own password.
OPEN_TO_ALL = ("logout", "password_change", "password_change_done")


class RoleRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._without_role(request) and request.path not in self._open_paths():
            return render(request, "registration/no_access.html", status=403)
        return self.get_response(request)

    @staticmethod
    def _without_role(request) -> bool:
        user = request.user
        return user.is_authenticated and not user_roles(user)

    @staticmethod
    def _open_paths() -> set[str]:
        return {reverse(name) for name in OPEN_TO_ALL}
