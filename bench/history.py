"""Time and queries of a goal's and an assessment's history page at 5, 50 and 500 versions.

    .venv/bin/python bench/history.py [--db sqlite|postgres] [--runs 20]

Mississippi's goal 2.9 gains versions through plain saves (each writes a history record
with a new narrative, as an edit does) up to 5, 50 and 500; at each step both history
pages are fetched through the test client by a user with the Analyst role: queries of one
request, median and min ms of `--runs` more. The pages are chosen in the database before
anything is diffed, so the targets are: no more queries than at 5 versions (one per kind
of entry on the page), and the median at
500 versions within 1.5× the median at 5 (the ratio printed is against 5 versions,
measured in the same run).
"""

from __future__ import annotations

import sys

import setup_env

STEPS = (5, 50, 500)
PAGES = {
    "goal 2.9 history": "/assessments/MS/2023/goals/2.9/history/",
    "MS assessment history": "/assessments/MS/2023/history/",
}
MAX_RATIO = 1.5


def analyst_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.roles import Role

    user = get_user_model().objects.create_user("bench-history")
    user.groups.set(Group.objects.filter(name=Role.ANALYST))
    client = Client()
    client.force_login(user)
    return client


def add_versions_up_to(goal, count: int) -> None:
    while goal.version < count:
        goal.version += 1
        goal.narrative = f"Finding of version {goal.version}. " + "Words of the analyst. " * 40
        goal.save()


def measure(client, url: str, runs: int) -> tuple[int, setup_env.Timing]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries), setup_env.measure(lambda: client.get(url), runs=runs, warmup=2)


def main() -> int:
    args = setup_env.arguments(__doc__, runs=20).parse_args()
    setup_env.setup(args.db, "history")
    from assessments.models import GoalDetermination

    goal = GoalDetermination.objects.get(
        assessment__jurisdiction__code="MS", assessment__cycle__year=2023, goal__number="2.9"
    )
    client = analyst_client()
    results = {}
    for step in STEPS:
        add_versions_up_to(goal, step)
        setup_env.settle()
        for name, url in PAGES.items():
            results[name, step] = measure(client, url, args.runs)

    rows, passed = [], True
    for name in PAGES:
        base_queries, base = results[name, STEPS[0]]
        for step in STEPS:
            queries, timing = results[name, step]
            ratio = timing.median_ms / base.median_ms
            ok = queries <= base_queries and ratio <= MAX_RATIO
            passed &= ok
            rows.append([name, step, queries, f"{timing.median_ms:.1f}", f"{timing.min_ms:.1f}",
                         f"{ratio:.2f}", setup_env.verdict(ok)])  # fmt: skip
    setup_env.print_table(
        ["page", "versions", "queries", "median ms", "min ms", "× at 5", "verdict"],
        rows,
        title=setup_env.report_title(
            "History pages",
            args.db,
            f"{args.runs} requests after 2 warm-up; target no more queries and "
            f"≤ {MAX_RATIO}× the time at 5 versions",
        ),
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
