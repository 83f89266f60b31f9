"""The national table shown after login."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_all_51_jurisdictions_with_total_grade_rank_and_tier(client, users):
    client.force_login(users["analyst"])
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r'<tr data-code="[A-Z]{2}"', html)) == 51
    row = re.search(r'<tr data-code="MS">(.*?)</tr>', html, re.S).group(1)
    assert "10th (tie)" in row
    assert "68.5" in row
    assert "Tier I<" in row
    assert 'grade-D">D' in row
    assert "synthetic demo data" not in row


def test_it_labels_synthetic_jurisdictions_visibly(client, users):
    client.force_login(users["reviewer"])
    html = client.get(reverse("home")).content.decode()
    row = re.search(r'<tr data-code="TN">(.*?)</tr>', html, re.S).group(1)
    assert "synthetic demo data" in row
    assert "1st" in row and 'grade-A">A' in row


def test_it_answers_404_for_a_cycle_that_does_not_exist(client, users):
    client.force_login(users["analyst"])
    assert client.get(reverse("home"), {"cycle": "1999"}).status_code == 404


def test_it_says_scores_are_current(client, users):
    client.force_login(users["publisher"])
    assert "Scores current as of" in client.get(reverse("home")).content.decode()


def test_it_logs_in_with_the_login_form_and_keeps_the_username_on_failure(client, users):
    users["analyst"].set_password("a-long-test-password")
    users["analyst"].save()
    failed = client.post(reverse("login"), {"username": "analyst", "password": "wrong"})
    assert "didn't match" in failed.content.decode()
    assert 'value="analyst"' in failed.content.decode()
    ok = client.post(reverse("login"), {"username": "analyst", "password": "a-long-test-password"})
    assert ok.status_code == 302 and ok["Location"] == reverse("home")
