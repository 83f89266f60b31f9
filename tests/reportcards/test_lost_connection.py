"""A request whose database connection is terminated before it wrote anything is run again
on a new connection: the user gets the page, not a server error. One that had written is
not run again (the write may be committed); the services retry their own transactions
(tests/core/test_retry.py)."""

import threading

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


class TerminateBeforeReading:
    """An execute wrapper that has PostgreSQL end this connection's session (from another
    connection, as an administrator would) just before the first query that reads `table`."""

    def __init__(self, table: str):
        self.table, self.done = f'"{table}"', False

    def __call__(self, execute, sql, params, many, context):
        if not self.done and self.table in sql:
            self.done = True
            terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)


def terminate(pid: int) -> None:
    def run():
        with connection.cursor() as cursor:  # this thread's own connection
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_connection_lost_while_a_middleware_reads_the_roles_is_run_again(analyst):
    # The first run's error has become a 500 answer (and is logged) before the retry.
    analyst.raise_request_exception = False
    with connection.execute_wrapper(TerminateBeforeReading("auth_group")):
        answer = analyst.get("/lost-connection/plain/")
    assert answer.status_code == 200
    assert answer.content.decode() == listed()
    assert urls_lost_connection.runs == ["GET"]  # the view ran once, on the second run


def test_a_request_that_wrote_is_not_run_again(analyst):
    analyst.raise_request_exception = False
    answer = analyst.post("/lost-connection/create/")
    connection.close()  # as Django does after each request (the test client does not)
    assert answer.status_code == 500
    assert urls_lost_connection.runs == ["POST"]
    assert Jurisdiction.objects.filter(name="Zeta").count() == 1  # written once, not twice
