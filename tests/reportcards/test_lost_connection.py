"""A request whose database connection is terminated before it wrote anything is run again
on a new connection: the user gets the page, not a server error. One that had written is
not run again (the write may be committed); the services retry their own transactions
(tests/core/test_retry.py)."""

import pytest
from django.db import connection

from statutes.models import Jurisdiction
from tests.factories import small_world
from tests.reportcards import urls_lost_connection

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="pg_terminate_backend needs PostgreSQL (CI's second pass runs this).",
    ),
    pytest.mark.urls("tests.reportcards.urls_lost_connection"),
]


@pytest.fixture
def analyst(transactional_db, client):
    urls_lost_connection.runs.clear()
    client.force_login(small_world().users["analyst"])
    return client


def listed() -> str:
    return ", ".join(Jurisdiction.objects.order_by("code").values_list("name", flat=True))


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_request_that_wrote_nothing_is_run_again_on_a_new_connection(analyst, method):
    answer = getattr(analyst, method)("/lost-connection/names/")
    assert answer.status_code == 200
    assert answer.content.decode() == listed()
    assert urls_lost_connection.runs == [method.upper()] * 2


def test_a_request_that_wrote_is_not_run_again(analyst):
    analyst.raise_request_exception = False
    answer = analyst.post("/lost-connection/create/")
    connection.close()  # as Django does after each request (the test client does not)
    assert answer.status_code == 500
    assert urls_lost_connection.runs == ["POST"]
    assert Jurisdiction.objects.filter(name="Zeta").count() == 1  # written once, not twice
