"""A page read whose database connection is terminated while it runs is read again on a
new connection: the user gets the page, not a server error. Writes are not run again by
the page (their services retry their own transaction: tests/core/test_retry.py)."""

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


def test_a_read_whose_connection_was_terminated_is_answered(analyst):
    answer = analyst.get("/lost-connection/")
    assert answer.status_code == 200
    names = Jurisdiction.objects.order_by("code").values_list("name", flat=True)
    assert answer.content.decode() == ", ".join(names)  # what the second read found
    assert urls_lost_connection.runs == ["GET", "GET"]


def test_a_post_is_not_run_again_by_the_page(analyst):
    analyst.raise_request_exception = False
    answer = analyst.post("/lost-connection/")
    connection.close()  # as Django does after each request (the test client does not)
    assert answer.status_code == 500
    assert urls_lost_connection.runs == ["POST"]
