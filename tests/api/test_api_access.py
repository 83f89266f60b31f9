"""Who reaches what through the API: URL × client × object.

Every client is tried on every URL of the world (tests/api/conftest.py): a released cycle,
an embargoed one with a preview, and a draft made after the release. Only token holders
and staff sessions read, and they read only what a release published.
"""

import json

import pytest
from django.urls import reverse

from accounts.roles import Role
from api.models import ApiToken
from reportcards.models import PublishedReportCard
from tests.factories import UserFactory
from tests.pages import parsed, text

pytestmark = pytest.mark.django_db

STAFF = ["analyst", "reviewer", "publisher", "admin"]
READS = [
    "/cycles",
    "/cycles/2023/framework",
    "/cycles/2023/report-cards",
    "/cycles/2023/report-cards/MS",
    "/cycles/2023/report-cards?jurisdiction=al",
    "/cycles/2023/report-cards?grade=F",
    "/cycles/2023/report-cards?tier=1&page_size=1&page=2",
    "/jurisdictions",
]
EMBARGOED = [
    "/cycles/2024/framework",
    "/cycles/2024/report-cards",
    "/cycles/2024/report-cards/MS",
    "/cycles/2023/report-cards/XX",
    "/cycles/1999/report-cards",
]


def clients(world, client, issue):
    """(name, a GET function) for every kind of caller, in the order of the matrix."""

    def caller(token=None, user=None):
        def get(path):
            client.logout()
            if user is not None:
                client.force_login(user)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
            return client.get("/api/v1" + path, **headers)

        return get

    revoked = issue(world.users["reader"], "old")
    ApiToken.objects.filter(name="old").update(revoked=True)
    lapsed = UserFactory(username="lapsed", roles=[])  # had a token, lost the role
    yield "anonymous", caller(), False
    yield "no role, session", caller(user=world.users["norole"]), False
    yield "data reader, session", caller(user=world.users["reader"]), False
    yield "bad token", caller(token="rc_not-a-token"), False
    yield "revoked token", caller(token=revoked), False
    yield "token of a user without a role", caller(token=issue(lapsed)), False
    yield "data reader, token", caller(token=issue(world.users["reader"])), True
    for role in STAFF:
        yield f"{role}, session", caller(user=world.users[role]), True
        yield f"{role}, token", caller(token=issue(world.users[role])), True


def test_only_token_holders_and_staff_read_and_only_what_was_released(world, client, issue):
    seen = {}
    for name, get, allowed in clients(world, client, issue):
        for path in READS:
            seen[name, path] = get(path).status_code
        for path in EMBARGOED:
            response = get(path)
            seen[name, path] = response.status_code
            if allowed:
                assert "No released" in response.json()["detail"]
    expected = {
        (name, path): (200 if allowed else 401) if path in READS else (404 if allowed else 401)
        for name, _, allowed in clients(world, client, issue)
        for path in READS + EMBARGOED
    }
    assert seen == expected


def test_an_unauthorised_caller_is_told_how_to_authenticate(api):
    response = api("/cycles")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_no_draft_preview_or_embargoed_version_is_in_any_answer(world, api, reader_token):
    bodies = [api(path, reader_token).content.decode() for path in READS]
    cards = api("/cycles/2023/report-cards", reader_token).json()
    released = PublishedReportCard.objects.filter(release__isnull=False)
    unreleased = PublishedReportCard.objects.filter(release__isnull=True)
    assert unreleased.exists()  # the 2024 preview
    assert {(c["jurisdiction"], c["version"], c["pdf_sha256"]) for c in cards["items"]} == {
        (p.assessment.jurisdiction.code, p.version, p.sha256) for p in released
    }
    for preview in unreleased:
        assert not any(preview.sha256 in body for body in bodies)
    assert [c["year"] for c in api("/cycles", reader_token).json()["items"]] == [2023]
    # The draft made after the release: the API answers what the release printed.
    ms = api("/cycles/2023/report-cards/MS", reader_token).json()
    assert ms["issues"][0]["goals"][0] == {
        "number": "1.1",
        "text": "State law addresses goal 1.1.",
        "status": "fully_met",
        "points": "2.50",
        "max_points": "2.50",
        "safe_harbor": False,
    }
    # No users, no comments, no notes of staff.
    for body in bodies:
        for username in ("publisher", "reviewer", "analyst", "reader"):
            assert f'"{username}"' not in body


def test_filters_and_pages(world, api, reader_token):
    def codes(**query):
        answer = api("/cycles/2023/report-cards", reader_token, **query).json()
        return [card["jurisdiction"] for card in answer["items"]], answer["count"]

    assert codes() == (["MS", "TN", "AL"], 3)
    assert codes(jurisdiction="al") == (["AL"], 1)
    assert codes(grade="f") == (["AL"], 1)
    assert codes(grade="A", tier=1) == (["MS", "TN"], 2)
    assert codes(tier=3) == ([], 0)
    assert codes(page_size=2, page=2) == (["AL"], 3)
    al = api("/cycles/2023/report-cards/AL", reader_token).json()
    partial = al["issues"][0]["goals"][1]
    assert (partial["status"], partial["points"], al["issues"][0]["score"]) == (
        "partially_met",
        "1.25",
        "3.75",
    )


def test_the_api_only_reads(world, client, reader_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {reader_token}"}
    for method in ("post", "put", "patch", "delete", "head"):
        response = getattr(client, method)("/api/v1/cycles", **headers)
        assert response.status_code == 405, method


def test_a_token_holder_is_throttled_with_a_clear_message(
    world, api, reader_token, issue, settings
):
    limit = int(settings.API_THROTTLE_RATE.split("/")[0])
    statuses = [api("/jurisdictions", reader_token).status_code for _ in range(limit)]
    assert set(statuses) == {200}
    refused = api("/jurisdictions", reader_token)
    assert refused.status_code == 429
    assert "Too many requests" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    # The budget is the token's: another token still reads.
    assert api("/jurisdictions", issue(world.users["reader"], "other")).status_code == 200


STAFF_PAGES = ["home", "national", "notifications", "statutes:index"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_data_reader_reaches_no_staff_page(client, name, db):
    reader = UserFactory(username="reader", roles=[Role.DATA_READER])
    client.force_login(reader)
    response = client.get(reverse(name))
    assert response.status_code == 403
    page = parsed(response)
    assert "No access yet" in text(page.find("h1"))
    assert not page.select("a.nav-link")
    assert client.get(reverse("admin:index")).status_code == 403


def test_the_schema_names_every_endpoint_and_the_token_scheme(client, db):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    assert set(schema["paths"]) == {
        "/api/v1/cycles",
        "/api/v1/cycles/{year}/framework",
        "/api/v1/cycles/{year}/report-cards",
        "/api/v1/cycles/{year}/report-cards/{code}",
        "/api/v1/jurisdictions",
    }
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
