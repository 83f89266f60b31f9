"""The login form refuses a username no account can have before anything reads it: an
overlong name used to reach django-axes, whose record of the attempt failed on PostgreSQL
(a 500 instead of the login page)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.pages import parsed, text

pytestmark = pytest.mark.django_db


def test_an_overlong_username_is_a_failed_login_not_an_error(client, world):
    response = client.post(reverse("login"), {"username": "x" * 10_000, "password": "secret"})
    assert response.status_code == 200
    alert = text(parsed(response).select_one(".alert-danger"))
    assert alert == "Your username and password didn't match. Please try again."
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_is_still_counted_for_the_lockout(client, world):
    client.post(reverse("login"), {"username": "analyst", "password": "wrong"})
    assert AccessAttempt.objects.get().username == "analyst"
