"""An admin issues an API token in the admin: shown once, stored only as its hash, and
only to a user who may read the API."""

import hashlib

import pytest
from django.urls import reverse

from accounts.roles import Role
from api.models import ApiToken
from tests.factories import UserFactory
from tests.pages import parsed, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def add(client, user, name="nightly sync"):
    return client.post(reverse("admin:api_apitoken_add"), {"user": user.pk, "name": name})


def test_a_token_is_shown_once_and_only_its_hash_is_stored(admin_client):
    reader = UserFactory(username="reader", roles=[Role.DATA_READER])
    page = parsed(add(admin_client, reader))
    raw = text(page.select_one("#api-token"))
    token = ApiToken.objects.get()
    assert raw.startswith("rc_") and len(raw) > 40
    assert token.key_sha256 == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.name, token.prefix} and raw.startswith(token.prefix)
    assert token.created_by.username == "boss"
    change = admin_client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert raw not in change.content.decode()
    response = admin_client.get("/api/v1/cycles", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_no_token_for_a_user_without_a_role(admin_client):
    response = add(admin_client, UserFactory(username="nobody", roles=[]))
    assert response.status_code == 200
    assert "Give the user the role Data reader" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_revoked_token_opens_nothing(admin_client, client):
    reader = UserFactory(username="reader", roles=[Role.DATA_READER])
    raw = text(parsed(add(admin_client, reader)).select_one("#api-token"))
    token = ApiToken.objects.get()
    admin_client.post(reverse("admin:api_apitoken_change", args=[token.pk]), {"revoked": "on"})
    token.refresh_from_db()
    assert token.revoked
    client.logout()
    assert client.get("/api/v1/cycles", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
