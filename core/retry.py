"""One retry for a transaction the database gave up on (docs/architecture.md, "Locks").

PostgreSQL ends a transaction with a deadlock (SQLSTATE 40P01) or a serialization failure
(40001) when two transactions wait on each other; nothing of it was written, and running
it again a moment later almost always succeeds. Services that write decorate their entry
point with `retry_once`: a second failure becomes `TryAgain`, which views show as a
"try again" message next to the form the user filled in, never as a server error.
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
# A short, jittered pause, so the two transactions that collided do not collide again.
BACKOFF_SECONDS = (0.05, 0.2)

TRY_AGAIN = (
    "The database was busy with other people's changes and nothing was saved. "
    "Your text is kept below: please try again."
)


class TryAgain(Exception):
    """The database refused the transaction twice; nothing was written."""

    def __init__(self, message: str = TRY_AGAIN):
        super().__init__(message)


def is_retryable(error: BaseException) -> bool:
    """Whether `error` is a deadlock or serialization failure (Django wraps the driver's
    error; the driver's error, with its SQLSTATE, is the cause)."""
    cause = error.__cause__
    return isinstance(error, OperationalError) and (
        getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES
        or getattr(cause, "pgcode", None) in RETRYABLE_SQLSTATES
    )


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
            if not is_retryable(error):
                raise
            if connection.in_atomic_block:
                raise TryAgain() from error
            logger.info("Retrying %s after %s", function.__qualname__, error.__cause__)
        time.sleep(random.uniform(*BACKOFF_SECONDS))
        try:
            return function(*args, **kwargs)
        except OperationalError as error:
            if not is_retryable(error):
                raise
            logger.warning("%s failed twice: %s", function.__qualname__, error.__cause__)
            raise TryAgain() from error

    return retried
