"""Server time of the score pages (national table, dashboard) through Django's test client.

    .venv/bin/python bench/pages.py [--db sqlite|postgres] [--runs 50]

One logged-in analyst, one warm-up request per page, then `--runs` requests each:
median, 95th percentile and maximum in ms, and the median CPU time. No network and no
other users, so this is the time a page costs the server; bench/load.py measures the
same pages under 50 users.
The check against the load test's target (p95 < 100 ms) is a floor: a page slower than
that alone cannot meet it under load.
"""

from __future__ import annotations

import statistics
import sys
import time

import setup_env

TARGET_P95_MS = 100
PAGES = {
    "my work (inbox)": "/",
    "national table": "/national/",
    "dashboard": "/dashboard/2023/",
    "dashboard, grade F by total": "/dashboard/2023/?grade=F&sort=-total",
    "dashboard CSV": "/dashboard/2023/scores.csv",
    "dashboard, Mississippi": "/dashboard/2023/MS/",
    "cycle board": "/assessments/cycle/2023/board/",
    "goal 2.9 across the country": "/assessments/goal/2023/2.9/",
    "search": "/assessments/search/?q=trafficking&year=2023",
}


def request_times(client, url: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each of `runs` GETs of url, after one warm-up request.
    CPU time is the steadier figure on a shared machine: waiting for a core is not in it."""
    assert client.get(url).status_code == 200, url
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def page_row(name: str, url: str, times: tuple[list[float], list[float]]) -> tuple[list, bool]:
    wall, cpu = times
    p95 = statistics.quantiles(wall, n=20)[-1]
    ok = p95 < TARGET_P95_MS
    figures = [statistics.median(wall), p95, max(wall), statistics.median(cpu)]
    row = [name, url, *(f"{figure:.1f}" for figure in figures)]
    return [*row, f"< {TARGET_P95_MS} ms", setup_env.verdict(ok)], ok


def main() -> int:
    args = setup_env.arguments(__doc__, runs=50).parse_args()
    setup_env.setup(args.db, "pages")
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="analyst"))
    rows = [
        page_row(name, url, request_times(client, url, args.runs)) for name, url in PAGES.items()
    ]
    setup_env.print_table(
        ["page", "url", "median ms", "p95 ms", "max ms", "CPU ms", "p95 target", "result"],
        [row for row, _ in rows],
        title=f"Score pages, {setup_env.engine_label(args.db)}, one user through the test "
        f"client, {args.runs} requests each; {setup_env.machine()}",
    )
    return 0 if all(ok for _, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
