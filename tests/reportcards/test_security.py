"""Security headers, login throttling, sessions and the absence of inline script."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_it_sends_a_content_security_policy_without_inline_script(client, users):
    client.force_login(users["analyst"])
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_it_forbids_framing_and_sniffing(client, users):
    client.force_login(users["analyst"])
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_it_keeps_scripts_out_of_templates(template):
    html = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> breaks the CSP"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handlers break the CSP"


def login(client, password):
    return client.post(reverse("login"), {"username": "analyst", "password": password})


def test_it_locks_a_username_after_five_wrong_passwords(client, users):
    users["analyst"].set_password("the-right-password")
    users["analyst"].save()
    for _ in range(4):
        assert login(client, "wrong").status_code == 200
    assert login(client, "wrong").status_code == 429  # the fifth locks the username
    locked = login(client, "the-right-password")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_resets_the_count_after_a_successful_login(client, users):
    users["analyst"].set_password("the-right-password")
    users["analyst"].save()
    for _ in range(4):
        login(client, "wrong")
    assert login(client, "the-right-password").status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "wrong")
    assert login(client, "the-right-password").status_code == 302


def test_it_ends_sessions_with_the_browser_and_keeps_cookies_from_scripts(client, users, settings):
    users["analyst"].set_password("the-right-password")
    users["analyst"].save()
    response = login(client, "the-right-password")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_it_serves_no_media_files_without_a_view(client, users):
    # Stored PDFs and exports are reachable only through views that check login and role.
    assert client.get("/media/report-cards/2023/MS/v1.pdf").status_code == 404
    client.force_login(users["publisher"])
    assert client.get("/media/report-cards/2023/MS/v1.pdf").status_code == 404


def test_it_refuses_a_form_post_without_the_csrf_token(users):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["analyst"])
    response = strict.post(reverse("assessments:preview"), {"narrative": "x"})
    assert response.status_code == 403


def login_from(client, password, *, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": "analyst", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR="10.0.0.2",  # the reverse proxy
    )


def test_it_locks_out_the_client_behind_the_proxy_not_everyone_using_it(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        login_from(client, "wrong", forwarded_for="203.0.113.7")
    assert login_from(client, PASSWORD, forwarded_for="203.0.113.7").status_code == 429
    # Another client through the same proxy still logs in as the same user.
    assert login_from(client, PASSWORD, forwarded_for="198.51.100.20").status_code == 302


def test_it_ignores_addresses_a_client_puts_in_front_of_the_proxys(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):  # a new made-up address each time, as an attacker would send
        login_from(client, "wrong", forwarded_for=f"6.6.6.{attempt}, 203.0.113.7")
    assert login_from(client, PASSWORD, forwarded_for="203.0.113.7").status_code == 429


@pytest.mark.parametrize(
    "url",
    [
        "/assessments/MS%00/2023/",
        "/statutes/MS/?q=%00act",
        "/dashboard/2023/?grade=%01",
        "/assessments/MS/2023/goals/1.1%00/",
    ],
)
def test_it_refuses_control_characters_in_the_address_with_400(client, users, url):
    client.force_login(users["analyst"])
    response = client.get(url)
    assert response.status_code == 400
    assert "control characters" in response.content.decode()
