"""Server time of the score pages (national table, dashboard) through Django's test client.

    .venv/bin/python bench/pages.py [--db sqlite|postgres] [--runs 50]

One logged-in analyst, one warm-up request per page, then `--runs` requests each:
median, 95th percentile and maximum in ms. No network and no other users, so this is
the time a page costs the server; bench/load.py measures the same pages under 50 users.
The check against the load test's target (p95 < 100 ms) is a floor: a page slower than
that alone cannot meet it under load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import setup_env

TARGET_P95_MS = 100
PAGES = {
    "national table": "/",
    "dashboard": "/dashboard/2023/",
    "dashboard, grade F by total": "/dashboard/2023/?grade=F&sort=-total",
    "dashboard CSV": "/dashboard/2023/scores.csv",
    "dashboard, Mississippi": "/dashboard/2023/MS/",
}


def request_times(client, url: str, runs: int) -> list[float]:
    """Milliseconds of each of `runs` GETs of url, after one warm-up request."""
    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return times


def page_row(name: str, url: str, times: list[float]) -> tuple[list, bool]:
    p95 = statistics.quantiles(times, n=20)[-1]
    ok = p95 < TARGET_P95_MS
    row = [name, url, f"{statistics.median(times):.1f}", f"{p95:.1f}", f"{max(times):.1f}"]
    return [*row, f"< {TARGET_P95_MS} ms", setup_env.verdict(ok)], ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=setup_env.DATABASES, default="sqlite")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    setup_env.setup(args.db, "pages")
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="analyst"))
    rows = [
        page_row(name, url, request_times(client, url, args.runs)) for name, url in PAGES.items()
    ]
    setup_env.print_table(
        ["page", "url", "median ms", "p95 ms", "max ms", "p95 target", "result"],
        [row for row, _ in rows],
        title=f"Score pages, {setup_env.engine_label(args.db)}, one user through the test "
        f"client, {args.runs} requests each; {setup_env.machine()}",
    )
    return 0 if all(ok for _, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
