"""The two steps of two-factor login: enrol an authenticator app, then type its codes."""

from base64 import b32encode
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"
WRONG_CODE = "That code did not match, or too many tries: wait a moment and try again."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_page(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _other_step(name: str, request):
    return redirect(f"{reverse(name)}?{urlencode({'next': _next_page(request)})}")


def two_factor_enrol(request):
    """Shows the secret of a new authenticator (as text and as an otpauth:// link for apps
    that open it); the first correct code confirms it and verifies this session."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return _other_step("two_factor_verify", request)
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_token(request.user, device.persistent_id, form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-factor login is set up.")
            return redirect(_next_page(request))
        form.add_error("code", WRONG_CODE)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "config_url": device.config_url,
            "next": _next_page(request),
        },
    )


def two_factor_verify(request):
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if not devices.exists():
        return _other_step("two_factor_enrol", request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        for device in devices:
            if verify_token(request.user, device.persistent_id, code):
                otp_login(request, device)
                return redirect(_next_page(request))
        form.add_error("code", WRONG_CODE)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_page(request)}
    )
