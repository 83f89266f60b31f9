"""The two steps of two-factor login: enrol an authenticator app, then type its codes.

Reads never write: the enrolment page makes a new secret and carries it, signed, in its
form; the device is stored only when the first correct code comes back.
"""

from base64 import b32encode
from binascii import unhexlify

from django import forms
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

DEVICE_NAME = "Authenticator app"
WRONG_CODE = "That code did not match, or too many tries: wait a moment and try again."
ENROL_SALT = "accounts.two_factor.enrol"
SECRET_MAX_AGE = 60 * 60  # an enrolment page is good for an hour


class CodeForm(forms.Form):
    code = forms.CharField(label="Code from your authenticator app", max_length=8)


class EnrolForm(CodeForm):
    secret = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_secret(self) -> str:
        try:
            payload = signing.loads(
                self.cleaned_data["secret"], salt=ENROL_SALT, max_age=SECRET_MAX_AGE
            )
        except signing.BadSignature as error:
            raise forms.ValidationError(
                "This page is too old: use the new secret below."
            ) from error
        if payload.get("user") != self.user.pk:
            raise forms.ValidationError("This secret belongs to another login.")
        return payload["key"]


def _signed_secret(user, key: str) -> str:
    return signing.dumps({"user": user.pk, "key": key}, salt=ENROL_SALT)


def _next_page(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _confirmed(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def _device_if_code_matches(user, key: str, code: str) -> TOTPDevice | None:
    device = TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not code.isdigit() or not totp.verify(int(code), device.tolerance):
        return None
    device.last_t = totp.t()  # the code that confirmed it cannot log in again
    device.save()
    return device


def _enrol_page(request, form, key: str):
    secret = b32encode(unhexlify(key)).decode()
    preview = TOTPDevice(user=request.user, key=key)  # never saved: gives the app's link
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "signed_secret": _signed_secret(request.user, key),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "config_url": preview.config_url,
            "next": _next_page(request),
        },
    )


def two_factor_enrol(request):
    """Shows a new secret (as text and as an otpauth:// link for apps that open it); the
    first correct code stores the device and verifies this session."""
    if _confirmed(request.user).exists():
        return render(request, "accounts/two_factor_enrolled.html")
    if request.method != "POST":
        return _enrol_page(request, CodeForm(), default_key())
    form = EnrolForm(request.POST, user=request.user)
    if not form.is_valid():
        key = form.cleaned_data.get("secret") or default_key()
        return _enrol_page(request, form, key)
    device = _device_if_code_matches(
        request.user, form.cleaned_data["secret"], form.cleaned_data["code"]
    )
    if device is None:
        form.add_error("code", WRONG_CODE)
        return _enrol_page(request, form, form.cleaned_data["secret"])
    otp_login(request, device)
    messages.success(request, "Two-factor login is set up.")
    return redirect(_next_page(request))


def two_factor_verify(request):
    devices = _confirmed(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        for device in devices:
            if verify_token(request.user, device.persistent_id, code):
                otp_login(request, device)
                return redirect(_next_page(request))
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_page(request), "enrolled": devices.exists()},
    )
