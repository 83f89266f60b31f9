"""What every benchmark shares: a throwaway database with the sample data, timing and tables.

Each script gets a database of its own, so a run never touches db.sqlite3, the tests or
another script: a temporary SQLite file, or a PostgreSQL database `reportcards_bench_<name>`
created at start and dropped at exit. Child processes (export workers, the gunicorn of
the load test) reach the same database through BENCH_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import atexit
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent  # gunicorn, celery and locust of this venv
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
DATABASES = ("sqlite", "postgres")

# Benchmarks measure the app as it runs in production: no DEBUG query log, no broker.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "reportcards.settings",
    "DEBUG": "0",
    "REDIS_URL": "",
    "LOG_LEVEL": "ERROR",
}


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def create_database(db: str, name: str) -> str:
    """A new, empty database; returns its DATABASE_URL. Removed when the process exits."""
    if db == "sqlite":
        directory = tempfile.mkdtemp(prefix=f"reportcards-bench-{name}-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        return f"sqlite:///{directory}/bench.sqlite3"
    if db != "postgres":
        raise SystemExit(f"unknown database {db!r}: choose sqlite or postgres")
    database = f"reportcards_bench_{name}"
    _postgres(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    _postgres(f'CREATE DATABASE "{database}"')
    atexit.register(_postgres, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return f"{PG_SERVER}/{database}"


def attach(database_url: str | None = None) -> None:
    """Set up Django on an existing benchmark database (the parent's, by default)."""
    url = database_url or os.environ["BENCH_DATABASE_URL"]
    os.environ.update(BENCH_ENV, DATABASE_URL=url, BENCH_DATABASE_URL=url)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    # WhiteNoise serves from finders here; STATIC_ROOT exists only after collectstatic.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()


def setup(db: str, name: str) -> str:
    """A fresh database for `name`, migrated and loaded with the sample data; its URL."""
    url = create_database(db, name)
    attach(url)
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_sample_data", stdout=io.StringIO())
    settle()
    # Closed before the database is dropped at exit (atexit runs last-registered first).
    atexit.register(connections.close_all)
    return url


def machine() -> str:
    """CPUs, load average and the time of a fixed pure-Python loop, printed with every
    table: other work on the shared machine shows in every figure, and these say how
    busy it was when the figures were taken (the loop takes about 45 ms on a free core)."""
    one, five, _ = os.getloadavg()
    loop = measure(lambda: sum(i * i for i in range(500_000)), runs=5).median_ms
    return (
        f"{os.cpu_count()} CPUs, load average {one:.1f} (1 min) {five:.1f} (5 min), "
        f"reference loop {loop:.0f} ms"
    )


def settle() -> None:
    """Bring a freshly loaded database to its steady state before measuring: SQLite's WAL
    checkpointed (reads after the bulk load would otherwise go through megabytes of WAL
    until the automatic checkpoint), PostgreSQL's tables vacuumed and analysed."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("VACUUM ANALYZE")


def arguments(doc: str, *, runs: int | None = None) -> argparse.ArgumentParser:
    """The options every benchmark takes: --db, and --runs where it repeats a measurement
    (`runs` is its default). The script's docstring's first line is its description."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--db", choices=DATABASES, default="sqlite")
    if runs is not None:
        parser.add_argument("--runs", type=int, default=runs)
    return parser


def report_title(subject: str, db: str, detail: str) -> str:
    """A results table's title: what, on which engine, how, and how busy the machine was."""
    return f"{subject}, {engine_label(db)}: {detail}; {machine()}"


def engine_label(db: str) -> str:
    return {"sqlite": "SQLite", "postgres": "PostgreSQL"}[db]


@dataclass(frozen=True)
class Timing:
    median: float  # seconds
    min: float
    runs: int

    @property
    def median_ms(self) -> float:
        return self.median * 1000

    @property
    def min_ms(self) -> float:
        return self.min * 1000


def measure(function, *, runs: int, warmup: int = 1) -> Timing:
    """Median and minimum wall time of `function()` over `runs` calls after `warmup` calls."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return Timing(statistics.median(times), min(times), runs)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_table(headers: list[str], rows: list[list], title: str = "") -> None:
    """A plain text table: numbers right-aligned, text left-aligned."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    numeric = [
        all(_is_number(row[i]) for row in rows if row[i] not in ("", None))
        for i in range(len(headers))
    ]

    def line(values):
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    if title:
        print(f"\n{title}")
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))


def _is_number(value) -> bool:
    if isinstance(value, int | float):
        return True
    try:
        float(str(value).strip("x%"))
    except ValueError:
        return False
    return True
