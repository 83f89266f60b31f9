"""Recompute a whole cycle: time and query count for 51, 10 and 1 jurisdictions.

    .venv/bin/python bench/recompute.py [--db sqlite|postgres|both] [--runs 30] [--name NAME]

Target: < 50 ms for 51 x 40 determinations, on SQLite and PostgreSQL, with a query count
that does not depend on the number of jurisdictions. Each database runs in its own
process (Django is configured once per process); the parent prints one table. `--name`
picks the throwaway PostgreSQL database (`reportcards_bench_<name>`), so two runs at the
same time on one server do not drop each other's database.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import setup_env

TARGET_MS = 50.0
SIZES = (51, 10, 1)


def measure_one(db: str, runs: int, name: str) -> list[dict]:
    setup_env.setup(db, name)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Assessment, Cycle, GoalDetermination
    from assessments.recompute import cycle_recompute

    cycle = Cycle.objects.get(year=2023)
    results = []
    # Largest first: each smaller size deletes more assessments of this throwaway database,
    # so every recompute commits for real, as it does in production.
    for size in SIZES:
        keep = _keep(cycle, size)
        Assessment.objects.filter(cycle=cycle).exclude(id__in=keep).delete()
        determinations = GoalDetermination.objects.filter(assessment__cycle=cycle).count()
        with CaptureQueriesContext(connection) as queries:
            cycle_recompute(cycle_id=cycle.id)
        query_count = len(queries)
        timing = setup_env.measure(lambda: cycle_recompute(cycle_id=cycle.id), runs=runs, warmup=3)
        results.append(
            {
                "db": db,
                "jurisdictions": size,
                "determinations": determinations,
                "median_ms": timing.median_ms,
                "min_ms": timing.min_ms,
                "queries": query_count,
                "runs": runs,
            }
        )
    return results


def _keep(cycle, size: int) -> list[int]:
    """Mississippi (the seed) plus the first others by code."""
    from assessments.models import Assessment

    assessments = Assessment.objects.filter(cycle=cycle).select_related("jurisdiction")
    ordered = sorted(assessments, key=lambda a: (a.jurisdiction.code != "MS", a.jurisdiction.code))
    return [a.id for a in ordered[:size]]


def report(results: list[dict]) -> bool:
    rows, ok = [], True
    for db in setup_env.DATABASES:
        by_size = {r["jurisdictions"]: r for r in results if r["db"] == db}
        if not by_size:
            continue
        for size in SIZES:
            r = by_size[size]
            passed = r["median_ms"] < TARGET_MS if size == 51 else None
            ok &= passed is not False
            rows.append(
                [
                    setup_env.engine_label(db),
                    size,
                    r["determinations"],
                    f"{r['median_ms']:.1f}",
                    f"{r['min_ms']:.1f}",
                    f"{r['median_ms'] / size:.2f}",
                    r["queries"],
                    f"< {TARGET_MS:.0f} ms" if size == 51 else "",
                    setup_env.verdict(passed) if passed is not None else "",
                ]
            )
        equal = by_size[51]["queries"] == by_size[1]["queries"]
        ok &= equal
        ratio = by_size[51]["median_ms"] / by_size[1]["median_ms"]
        rows.append(
            [
                setup_env.engine_label(db),
                "51 vs 1",
                "",
                f"x{ratio:.1f}",
                "",
                "",
                "EQUAL" if equal else "DIFFERENT",
                "queries(51) == queries(1)",
                setup_env.verdict(equal),
            ]
        )
    runs = results[0]["runs"]
    setup_env.print_table(
        [
            "database",
            "jurisdictions",
            "determinations",
            "median ms",
            "min ms",
            "ms/jurisdiction",
            "queries",
            "target",
            "result",
        ],
        rows,
        title=f"cycle_recompute, 2023 cycle: median and min of {runs} runs after 3 warm-up "
        f"runs; {setup_env.machine()}",
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=(*setup_env.DATABASES, "both"), default="both")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--name", default="recompute", help="suffix of the database name")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:  # a child process measuring one database
        print(json.dumps(measure_one(args.db, args.runs, args.name)))
        return 0
    databases = setup_env.DATABASES if args.db == "both" else (args.db,)
    results = []
    for db in databases:
        child = subprocess.run(
            [sys.executable, __file__, "--db", db, "--runs", str(args.runs)]
            + ["--name", args.name, "--json"],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        results += json.loads(child.stdout.strip().splitlines()[-1])
    return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())
