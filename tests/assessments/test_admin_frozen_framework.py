"""Once a report card graded by a framework is published, the admin shows that framework
and its goals read-only: nothing changes the rules a published card was graded by (a new
framework version is loaded instead)."""

import pytest
from django.urls import reverse

from reportcards import publishing
from tests.factories import ready_to_publish
from tests.pages import parsed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def published(world, django_capture_on_commit_callbacks):
    ready_to_publish(world)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.report_card_publish_request(
            assessment_id=world.assessments["MS"].pk, user=world.users["publisher"]
        )
    return world


def change_page(client, world, model, pk):
    client.force_login(world.users["admin"])
    return client.get(reverse(f"admin:assessments_{model}_change", args=[pk]))


def test_before_publishing_the_admin_edits_the_framework(client, world):
    page = parsed(change_page(client, world, "framework", world.framework.pk))
    assert page.select_one("input[name=_save]") is not None


@pytest.mark.parametrize("model", ["framework", "policygoal"])
def test_after_publishing_the_framework_and_its_goals_are_read_only(client, published, model):
    pk = published.framework.pk if model == "framework" else published.goals["1.1"].pk
    response = change_page(client, published, model, pk)
    assert response.status_code == 200
    assert parsed(response).select_one("input[name=_save]") is None
    refused = client.post(
        reverse(f"admin:assessments_{model}_change", args=[pk]), {"name": "Renamed"}
    )
    assert refused.status_code == 403


def test_after_publishing_the_goal_cannot_be_deleted(client, published):
    client.force_login(published.users["admin"])
    url = reverse("admin:assessments_policygoal_delete", args=[published.goals["1.1"].pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    published.goals["1.1"].refresh_from_db()
