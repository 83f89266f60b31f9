"""A transaction the database gave up on (deadlock, serialization failure, a lost
connection) runs once more; twice is "try again", never a server error."""

import threading

import psycopg
import pytest
from django.db import OperationalError, connection, transaction

from core.retry import TryAgain, retry_once
from statutes.models import Jurisdiction


def deadlock() -> OperationalError:
    """What Django raises when PostgreSQL picks the transaction as a deadlock's victim."""
    try:
        raise OperationalError("deadlock detected") from psycopg.errors.DeadlockDetected(
            "deadlock detected"
        )
    except OperationalError as error:
        return error


def failing(times: int, error_factory=deadlock):
    """A transaction that the database refuses `times` times, then completes."""
    calls = []

    @retry_once
    def work():
        calls.append(1)
        if len(calls) <= times:
            raise error_factory()
        return "saved"

    return work, calls


def test_it_runs_a_deadlocked_transaction_once_more():
    work, calls = failing(1)
    assert work() == "saved"
    assert len(calls) == 2


def test_it_asks_to_try_again_when_the_second_run_deadlocks_too():
    work, calls = failing(2)
    with pytest.raises(TryAgain, match="nothing was saved"):
        work()
    assert len(calls) == 2


def test_it_retries_a_serialization_failure_too():
    def serialization_failure():
        try:
            raise OperationalError("could not serialize") from psycopg.errors.SerializationFailure()
        except OperationalError as error:
            return error

    work, calls = failing(1, serialization_failure)
    assert work() == "saved"


def driver_error(cause: Exception):
    def error() -> OperationalError:
        try:
            raise OperationalError(str(cause)) from cause
        except OperationalError as wrapped:
            return wrapped

    return error


def test_it_does_not_retry_other_database_errors():
    """A statement timeout would only time out again."""
    work, calls = failing(1, driver_error(psycopg.errors.QueryCanceled("statement timeout")))
    with pytest.raises(OperationalError, match="statement timeout"):
        work()
    assert len(calls) == 1


@pytest.mark.parametrize(
    "cause",
    [
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.OperationalError("consuming input failed: server closed the connection"),
    ],
    ids=["server ended the session", "driver lost the connection"],
)
def test_it_runs_a_transaction_again_when_its_connection_was_lost(cause):
    work, calls = failing(1, driver_error(cause))
    assert work() == "saved"
    assert len(calls) == 2


@pytest.mark.django_db
def test_it_does_not_retry_inside_an_outer_transaction():
    """The outer transaction is lost with the inner one: nothing can be run again."""
    work, calls = failing(1)
    with pytest.raises(TryAgain):
        work()
    assert len(calls) == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="Deadlocks need PostgreSQL (CI's second pass runs this).",
)
@pytest.mark.django_db(transaction=True)
def test_it_completes_both_sides_of_a_real_deadlock():
    """Two transactions lock two rows in opposite orders: PostgreSQL aborts one, which runs
    again and completes."""
    first = Jurisdiction.objects.create(code="AA", name="Alpha")
    second = Jurisdiction.objects.create(code="BB", name="Beta")
    both_hold_one = threading.Barrier(2)
    runs, outcomes = [], []

    @retry_once
    def rename(one, other, name):
        runs.append(name)
        with transaction.atomic():
            Jurisdiction.objects.select_for_update().get(pk=one.pk)
            if runs.count(name) == 1:
                both_hold_one.wait(timeout=10)
            Jurisdiction.objects.filter(pk=other.pk).update(name=name)

    def run(one, other, name):
        try:
            rename(one, other, name)
            outcomes.append("done")
        except Exception as error:  # collected and asserted below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(first, second, "Gamma")),
        threading.Thread(target=run, args=(second, first, "Delta")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["done", "done"]
    assert len(runs) == 3  # one side ran twice
    names = set(Jurisdiction.objects.filter(code__in=["AA", "BB"]).values_list("name", flat=True))
    assert names == {"Gamma", "Delta"}


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="pg_terminate_backend needs PostgreSQL (CI's second pass runs this).",
)
@pytest.mark.django_db(transaction=True)
def test_a_transaction_whose_connection_is_terminated_is_written_once_on_a_new_one():
    """What an administrator's pg_terminate_backend does to a save in progress: the first
    run's row is rolled back with the connection, the second run writes it once."""
    runs = []

    @retry_once
    def create():
        runs.append(1)
        with transaction.atomic():
            Jurisdiction.objects.create(code="ZZ", name="Zeta")
            if len(runs) == 1:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    create()
    assert len(runs) == 2
    assert list(Jurisdiction.objects.filter(code="ZZ").values_list("name", flat=True)) == ["Zeta"]
