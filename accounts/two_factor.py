"""Two-factor login: publishers and admins confirm a password login with a TOTP code.

Who must (the rule, in one place): with TWO_FACTOR_REQUIRED on (the production settings),
every user who can publish or administer. Such a user without an authenticator is sent to
enrol one; with one, to type its current code, before any other page. Other roles may log
in with a password alone. An admin resets a lost authenticator from the user's admin page
(action "Reset two-factor login"), after which the user enrols again.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .roles import Role, has_role

# Pages a user who still owes the second factor may open: the two steps, and leaving.
OPEN_BEFORE_VERIFICATION = ("logout", "two_factor_enrol", "two_factor_verify")


def second_factor_required(user) -> bool:
    return settings.TWO_FACTOR_REQUIRED and has_role(user, Role.PUBLISHER, Role.ADMIN)


class TwoFactorRequiredMiddleware:
    """After django_otp's OTPMiddleware, which tells whether this session was verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and second_factor_required(user)
            and not user.is_verified()
            and request.path not in {reverse(name) for name in OPEN_BEFORE_VERIFICATION}
        ):
            step = "two_factor_verify" if user_has_device(user) else "two_factor_enrol"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(step)}?{query}")
        return self.get_response(request)
