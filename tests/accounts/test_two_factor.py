"""Two-factor login (TOTP) for publishers and admins when the settings require it."""

from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.pages import form_data, parsed, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code would otherwise hold the next for 1 s


def current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_it_sends_a_publisher_without_an_authenticator_to_enrol(client, world):
    client.force_login(world.users["publisher"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_enrol"))

    page = client.get(response["Location"])
    secret = text(parsed(page).select_one("#totp-secret")).replace(" ", "")
    assert len(secret) == 32
    assert parsed(page).select_one("a[href^='otpauth://totp/']")
    assert not TOTPDevice.objects.exists()  # showing the page stores nothing

    first = form_data(parsed(page).select_one("main form"))
    wrong = client.post(response["Location"], {**first, "code": "000000"})
    assert "did not match" in text(parsed(wrong).select_one(".invalid-feedback"))
    assert text(parsed(wrong).select_one("#totp-secret")).replace(" ", "") == secret
    assert not TOTPDevice.objects.exists()

    code = f"{totp(b32decode(secret)):06d}"
    form = parsed(wrong).select_one("main form")
    done = client.post(response["Location"], {**form_data(form), "code": code})
    assert done["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert TOTPDevice.objects.get(user=world.users["publisher"]).confirmed


def test_it_refuses_a_secret_it_did_not_make(client, world):
    client.force_login(world.users["publisher"])
    url = reverse("two_factor_enrol")
    forged = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    response = client.post(url, {"secret": forged, "code": f"{totp(b32decode(forged)):06d}"})
    assert response.status_code == 200
    assert "too old" in text(parsed(response).select_one("main .alert-danger"))
    assert not TOTPDevice.objects.exists()


def test_it_asks_a_publisher_with_an_authenticator_for_a_code_at_login(client, world):
    device = authenticator(world.users["publisher"])
    client.post(reverse("login"), {"username": "publisher", "password": "a-test-password-1"})
    exports = reverse("exports", args=[2023])
    response = client.get(exports)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))

    refused = client.post(response["Location"], {"code": "12345x"})
    assert refused.status_code == 200
    assert client.get(exports).status_code == 302

    verified = client.post(response["Location"], {"code": current_code(device)})
    assert verified["Location"] == exports
    assert client.get(exports).status_code == 200


def test_it_asks_an_admin_too_including_for_the_django_admin(client, world):
    authenticator(world.users["admin"])
    client.force_login(world.users["admin"])
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_it_does_not_ask_an_analyst_or_a_reviewer(client, world):
    for role in ("analyst", "reviewer"):
        client.force_login(world.users[role])
        assert client.get(reverse("home")).status_code == 200


def test_it_asks_nobody_when_the_setting_is_off(client, world, settings):
    settings.TWO_FACTOR_REQUIRED = False
    authenticator(world.users["publisher"])
    client.force_login(world.users["publisher"])
    assert client.get(reverse("home")).status_code == 200


def test_it_lets_an_admin_reset_a_users_authenticator(client, world):
    admin = world.users["admin"]
    admin_device = authenticator(admin)
    authenticator(world.users["publisher"])
    client.force_login(admin)
    verify = reverse("two_factor_verify")
    client.post(verify, {"code": current_code(admin_device)})

    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [world.users["publisher"].pk]},
        follow=True,
    )
    assert "Two-factor login reset for 1 user" in text(parsed(response))
    assert not TOTPDevice.objects.filter(user=world.users["publisher"]).exists()

    client.force_login(world.users["publisher"])
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_enrol"))


def test_it_keeps_the_next_page_on_this_site(client, world):
    device = authenticator(world.users["publisher"])
    client.force_login(world.users["publisher"])
    url = reverse("two_factor_verify") + "?next=https://evil.example/"
    response = client.post(url, {"code": current_code(device)})
    assert response["Location"] == "/"
