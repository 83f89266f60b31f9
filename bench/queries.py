"""Query count (and server time) of each page for 51 jurisdictions and for 1.

    .venv/bin/python bench/queries.py [--db sqlite|postgres]

Pages are fetched with Django's test client as a user holding the Analyst and Reviewer
roles, after one warm-up request each. The review queue is measured with every goal of
the cycle submitted (inside a transaction that is rolled back). Then the other 50
assessments are deleted, the cycle recomputed, and every page measured again: the two
query counts of a page must be equal (DESIGN.md §2).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import _setup

PAGES = {
    "overview": "/assessments/MS/2023/",
    "editor (goal 2.9)": "/assessments/MS/2023/goals/2.9/",
    "review queue (all submitted)": "/assessments/review/",
    "dashboard": "/dashboard/2023/",
    "national table": "/",
    "statute list (MS)": "/statutes/MS/",
    "history (MS)": "/assessments/MS/2023/history/",
}
QUEUE = "review queue (all submitted)"
REPEATS = 5


def measure_page(client, url: str) -> tuple[int, float]:
    """(queries with empty caches, median ms with warm ones) of GET url."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # Counted without the score pages' cached HTML (reportcards/fragments.py): the count is
    # the work after a recompute, the worst case, which must not grow with jurisdictions.
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # now: the next request clears the connection's query log
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times)


def measure_all(client) -> dict[str, tuple[int, float]]:
    from django.db import transaction

    from assessments.models import GoalDetermination, ReviewState

    results = {name: measure_page(client, url) for name, url in PAGES.items() if name != QUEUE}
    with transaction.atomic():
        GoalDetermination.objects.update(review_state=ReviewState.SUBMITTED)
        results[QUEUE] = measure_page(client, PAGES[QUEUE])
        transaction.set_rollback(True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=_setup.DATABASES, default="sqlite")
    args = parser.parse_args()
    _setup.setup(args.db, "queries")
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.roles import Role
    from assessments.models import Assessment, Cycle, GoalDetermination
    from assessments.recompute import cycle_recompute

    user = get_user_model().objects.create_user("bench-staff")
    user.groups.set(Group.objects.filter(name__in=[Role.ANALYST, Role.REVIEWER]))
    client = Client()
    client.force_login(user)

    full = measure_all(client)
    full_determinations = GoalDetermination.objects.count()
    cycle = Cycle.objects.get(year=2023)
    Assessment.objects.filter(cycle=cycle).exclude(jurisdiction__code="MS").delete()
    cycle_recompute(cycle_id=cycle.id)
    single = measure_all(client)
    single_determinations = GoalDetermination.objects.count()

    rows, equal_all = [], True
    for name, url in PAGES.items():
        equal = full[name][0] == single[name][0]
        equal_all &= equal
        rows.append(
            [
                name,
                url,
                full[name][0],
                single[name][0],
                "EQUAL" if equal else "DIFFERENT",
                f"{full[name][1]:.1f}",
                f"{single[name][1]:.1f}",
            ]
        )
    _setup.print_table(
        ["page", "url", "queries 51", "queries 1", "counts", "ms 51", "ms 1"],
        rows,
        title=f"Queries per page, {_setup.engine_label(args.db)}: 51 jurisdictions "
        f"({full_determinations} determinations) and 1 ({single_determinations}); "
        f"ms = median of {REPEATS} requests through the test client; {_setup.machine()}",
    )
    print(f"\nall pages equal: {_setup.verdict(equal_all)}")
    return 0 if equal_all else 1


if __name__ == "__main__":
    sys.exit(main())
