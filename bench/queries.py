"""Query count (and server time) of each page for 51 jurisdictions and for 1.

    .venv/bin/python bench/queries.py [--db sqlite|postgres]

Pages are fetched with Django's test client as a user holding the Analyst and Reviewer
roles, after one warm-up request each. The review queue is measured with every goal of
the cycle submitted (inside a transaction that is rolled back). Then the other 50
assessments are deleted, the cycle recomputed, and every page measured again: the two
query counts of a page must be equal (DESIGN.md §2).
"""

from __future__ import annotations

import statistics
import sys
import time

import setup_env

PAGES = {
    "overview": "/assessments/MS/2023/",
    "editor (goal 2.9)": "/assessments/MS/2023/goals/2.9/",
    "review queue (all submitted)": "/assessments/review/",
    "dashboard": "/dashboard/2023/",
    "my work (inbox)": "/",
    "national table": "/national/",
    "statute list (MS)": "/statutes/MS/",
    "history (MS)": "/assessments/MS/2023/history/",
    "cycle board": "/assessments/cycle/2023/board/",
    "goal 2.9 across the country": "/assessments/goal/2023/2.9/",
    "search": "/assessments/search/?q=trafficking&year=2023",
}
QUEUE = "review queue (all submitted)"
REPEATS = 5


def measure_page(client, url: str) -> tuple[int, float]:
    """(queries of one request, median ms of REPEATS more) of GET url, after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
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


def staff_client():
    """A test client logged in as a user with the Analyst and Reviewer roles."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.roles import Role

    user = get_user_model().objects.create_user("bench-staff")
    user.groups.set(Group.objects.filter(name__in=[Role.ANALYST, Role.REVIEWER]))
    client = Client()
    client.force_login(user)
    return client


def keep_only_mississippi() -> None:
    """Delete the cycle's other 50 assessments and recompute its scores."""
    from assessments.models import Assessment, Cycle
    from assessments.recompute import cycle_recompute

    cycle = Cycle.objects.get(year=2023)
    Assessment.objects.filter(cycle=cycle).exclude(jurisdiction__code="MS").delete()
    cycle_recompute(cycle_id=cycle.id)


def comparison_rows(full: dict, single: dict) -> tuple[list[list], bool]:
    rows, equal_all = [], True
    for name, url in PAGES.items():
        (count_full, ms_full), (count_single, ms_single) = full[name], single[name]
        equal = count_full == count_single
        equal_all &= equal
        verdict = "EQUAL" if equal else "DIFFERENT"
        rows.append(
            [name, url, count_full, count_single, verdict, f"{ms_full:.1f}", f"{ms_single:.1f}"]
        )
    return rows, equal_all


def print_counts(rows: list[list], *, db: str, determinations: tuple[int, int]) -> None:
    setup_env.print_table(
        ["page", "url", "queries 51", "queries 1", "counts", "ms 51", "ms 1"],
        rows,
        title=setup_env.report_title(
            "Queries per page",
            db,
            f"51 jurisdictions ({determinations[0]} determinations) and 1 "
            f"({determinations[1]}); ms = median of {REPEATS} requests through the test client",
        ),
    )


def main() -> int:
    args = setup_env.arguments(__doc__).parse_args()
    setup_env.setup(args.db, "queries")
    from assessments.models import GoalDetermination

    client = staff_client()
    full, full_count = measure_all(client), GoalDetermination.objects.count()
    keep_only_mississippi()
    single, single_count = measure_all(client), GoalDetermination.objects.count()
    rows, equal_all = comparison_rows(full, single)
    print_counts(rows, db=args.db, determinations=(full_count, single_count))
    print(f"\nall pages equal: {setup_env.verdict(equal_all)}")
    return 0 if equal_all else 1


if __name__ == "__main__":
    sys.exit(main())
