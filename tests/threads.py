"""Running work concurrently in tests: several people acting at the same moment."""

import threading

from django.db import connection


def all_at_once(work, items) -> list[str]:
    """Call `work(item)` for every item, each in a thread and database connection of its
    own, all released together; what the calls raised (as repr), [] when none did."""
    start = threading.Barrier(len(items))
    errors = []

    def run(item):
        try:
            start.wait(timeout=30)
            work(item)
        except Exception as error:  # collected and asserted by the test
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
