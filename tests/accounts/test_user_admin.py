"""Admins deactivate people whose work is on record; records with a history stay."""

import pytest
from django.urls import reverse

from assessments.services import determination_submit
from tests.factories import StatuteFactory, UserFactory

pytestmark = pytest.mark.django_db


def delete_page(client, user):
    return client.get(reverse("admin:auth_user_delete", args=[user.pk]))


def test_it_lets_an_admin_delete_an_account_nobody_used_yet(client, world):
    newcomer = UserFactory(username="newcomer")
    client.force_login(world.users["admin"])
    response = client.post(reverse("admin:auth_user_delete", args=[newcomer.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not type(newcomer).objects.filter(pk=newcomer.pk).exists()


def test_it_keeps_an_analyst_whose_edits_are_in_the_history(client, world):
    analyst = world.users["analyst"]
    goal = world.determination("MS", "1.1")
    determination_submit(determination_id=goal.pk, user=analyst, expected_version=goal.version)
    client.force_login(world.users["admin"])
    assert delete_page(client, analyst).status_code == 403
    response = client.post(reverse("admin:auth_user_delete", args=[analyst.pk]), {"post": "yes"})
    assert response.status_code == 403
    analyst.refresh_from_db()
    assert analyst.is_active


def test_it_offers_no_deletion_of_an_assessment(client, world):
    client.force_login(world.users["admin"])
    url = reverse("admin:assessments_assessment_delete", args=[world.assessments["MS"].pk])
    assert client.get(url).status_code == 403


def test_it_offers_no_deletion_of_a_statute(client, world):
    statute = StatuteFactory(jurisdiction=world.jurisdictions["MS"])
    client.force_login(world.users["admin"])
    assert (
        client.get(reverse("admin:statutes_statute_delete", args=[statute.pk])).status_code == 403
    )
