"""One retry for a transaction the database gave up on (docs/architecture.md, "Locks").

PostgreSQL ends a transaction with a deadlock (SQLSTATE 40P01) or a serialization failure
(40001) when two transactions wait on each other; nothing of it was written, and running
it again a moment later almost always succeeds. The same holds when the connection itself
is lost (an administrator's pg_terminate_backend, a restarted server or proxy): the
transaction is rolled back with it, and the retry runs on a new connection. Services that
write decorate their entry point with `retry_once`: a second failure becomes `TryAgain`,
which views show as a "try again" message next to the form the user filled in, never as a
server error.
"""

from __future__ import annotations

import functools
import logging
import random
import time

from django.db import OperationalError, connection

logger = logging.getLogger(__name__)

# Deadlock detected, serialization failure: the transaction was rolled back as a whole.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
# The server ended the session (admin or crash shutdown, not accepting connections now) or
# the connection failed (class 08).
LOST_CONNECTION_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})
# A short, jittered pause, so the two transactions that collided do not collide again.
BACKOFF_SECONDS = (0.05, 0.2)

TRY_AGAIN = (
    "The database was busy with other people's changes, or briefly out of reach, and "
    "nothing was saved. "
    "Your text is kept below: please try again."
)


class TryAgain(Exception):
    """The database refused the transaction twice; nothing was written."""

    def __init__(self, message: str = TRY_AGAIN):
        super().__init__(message)


def _sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of the driver's error, which Django's error wraps as its cause."""
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


def is_retryable(error: BaseException) -> bool:
    """Whether `error` is a deadlock or serialization failure."""
    return isinstance(error, OperationalError) and _sqlstate(error) in RETRYABLE_SQLSTATES


def lost_connection(error: BaseException) -> bool:
    """Whether `error` says the database connection is gone (the session was ended by the
    server, or the driver lost it: psycopg's errors without a SQLSTATE are client-side
    connection failures such as "server closed the connection unexpectedly")."""
    if not isinstance(error, OperationalError):
        return False
    code = _sqlstate(error)
    if code is not None:
        return code in LOST_CONNECTION_SQLSTATES or code.startswith("08")
    return hasattr(error.__cause__, "sqlstate")  # psycopg's, but none: client-side


def _retryable_or_lost(error: BaseException) -> bool:
    return is_retryable(error) or lost_connection(error)


def retry_once(function):
    """Run `function` (which opens its own transaction) again once, after a short pause,
    when the database rolled it back for a deadlock or serialization failure; raise
    `TryAgain` if that happens twice.

    Inside an outer transaction there is nothing to retry (the outer transaction is lost
    with the inner one), so the failure becomes `TryAgain` at once.
    """

    @functools.wraps(function)
    def retried(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except OperationalError as error:
            if not _retryable_or_lost(error):
                raise
            if connection.in_atomic_block:
                raise TryAgain() from error
            logger.info("Retrying %s after %s", function.__qualname__, error.__cause__)
            if lost_connection(error):
                connection.close()  # the second run opens a new one
        time.sleep(random.uniform(*BACKOFF_SECONDS))
        try:
            return function(*args, **kwargs)
        except OperationalError as error:
            if not _retryable_or_lost(error):
                raise
            logger.warning("%s failed twice: %s", function.__qualname__, error.__cause__)
            raise TryAgain() from error

    return retried
