"""Load test: 50 analysts and reviewers browsing, on gunicorn + PostgreSQL, with locust.

    .venv/bin/python bench/load.py [--users 50] [--spawn-rate 10] [--duration 60]
                                   [--workers 3] [--wait 1,3]

Creates the PostgreSQL database reportcards_bench_load with the sample data, 25 analysts
and 25 reviewers (one known password), puts 10 jurisdictions' goals in the review queue,
starts gunicorn on 127.0.0.1 at a free port (reportcards.settings, DEBUG off), measures
each page for a single user first (the baseline), then runs locust headless: users log in
during the ramp-up, then browse for `--duration` seconds after the last login (see
locustfile.py). Prints p50/p95/p99, requests/s and errors per page from locust's CSV,
the logins separately, and where the machine's CPU went during the measured browsing.
gunicorn, locust and the database are stopped and removed on exit.
Target: p95 < 100 ms and no errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

import setup_env

TARGET_P95_MS = 100
PASSWORD = "bench-load-password"  # noqa: S105 - a throwaway database's test users
HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
PAGES = {
    "overview": "/assessments/MS/2023/",
    "editor": "/assessments/MS/2023/goals/2.9/",
    "review queue": "/assessments/review/",
    "dashboard": "/dashboard/2023/",
    "national table": "/",
}
BASELINE_REQUESTS = 20


def create_users(count: int) -> dict[str, list[str]]:
    """Half analysts, half reviewers, sharing one password hash (hashing 50 is slow)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    User = get_user_model()
    hashed = make_password(PASSWORD)
    names = {"analyst": [], "reviewer": []}
    for role, group in (("analyst", Role.ANALYST), ("reviewer", Role.REVIEWER)):
        group = Group.objects.get(name=group)
        for number in range(1, count // 2 + 1):
            user = User.objects.create(username=f"bench-{role}-{number:02}", password=hashed)
            user.groups.add(group)
            names[role].append(user.username)
    return names


def fill_review_queue(jurisdictions: int = 10) -> int:
    """Submit every goal of some synthetic assessments, so the queue has pages to show."""
    from assessments.models import Cycle, GoalDetermination, ReviewState
    from assessments.recompute import cycle_recompute

    cycle = Cycle.objects.get(year=2023)
    codes = (
        GoalDetermination.objects.filter(assessment__cycle=cycle)
        .exclude(assessment__jurisdiction__code="MS")
        .order_by("assessment__jurisdiction__code")
        .values_list("assessment__jurisdiction__code", flat=True)
        .distinct()[:jurisdictions]
    )
    count = GoalDetermination.objects.filter(
        assessment__cycle=cycle, assessment__jurisdiction__code__in=list(codes)
    ).update(review_state=ReviewState.SUBMITTED)
    cycle_recompute(cycle_id=cycle.id)
    return count


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        **setup_env.BENCH_ENV,
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",  # no collectstatic here
    }
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "reportcards.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=setup_env.ROOT,
        env=env,
    )
    return server, f"http://127.0.0.1:{port}"


def wait_until_ready(server: subprocess.Popen, base: str) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/accounts/login/", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or a worker still loading
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn exited at start-up")
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


class CpuSampler(threading.Thread):
    """Once a second, the CPU seconds used so far by gunicorn (master and workers), the
    PostgreSQL backends of the bench database, locust, and the whole machine: where the
    two cores went during the measured minute."""

    GROUPS = ("gunicorn", "PostgreSQL", "locust")

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.database = database
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.done = threading.Event()

    def snapshot(self) -> dict[str, float]:
        used = dict.fromkeys(self.GROUPS, 0.0)
        for process in psutil.process_iter(["cmdline", "cpu_times"]):
            command = " ".join(process.info["cmdline"] or ())
            times = process.info["cpu_times"]
            group = (
                "gunicorn"
                if "gunicorn reportcards.wsgi" in command
                else "PostgreSQL"
                if command.startswith("postgres:") and self.database in command
                else "locust"
                if "bench/locustfile.py" in command
                else None
            )
            if group and times:
                used[group] += times.user + times.system
        machine = psutil.cpu_times()
        used["machine"] = sum(
            getattr(machine, field, 0.0)
            for field in ("user", "nice", "system", "irq", "softirq", "steal")
        )
        return used

    def run(self):
        while not self.done.is_set():
            self.samples.append((time.monotonic(), self.snapshot()))
            self.done.wait(1)

    def cores(self, start: float, end: float) -> dict[str, float]:
        """Average cores busy per group between two moments."""
        inside = [(t, used) for t, used in self.samples if start <= t <= end]
        (t0, first), (t1, last) = inside[0], inside[-1]
        # A PostgreSQL backend that closed in between takes its CPU time with it, so a
        # group can come out slightly low; never below zero.
        cores = {key: max(0.0, (last[key] - first[key]) / (t1 - t0)) for key in first}
        cores["other work on the machine"] = cores["machine"] - sum(cores[g] for g in self.GROUPS)
        return cores


def single_user_baseline(base: str, username: str, workers: int) -> dict[str, float]:
    """Median response time (ms) of each page for one user alone, after warming up."""
    import requests

    session = requests.Session()
    form = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    medians = {}
    for name, path in PAGES.items():
        times = []
        warmup = 3 * workers  # enough for every gunicorn worker to have served the page
        for attempt in range(warmup + BASELINE_REQUESTS):
            start = time.perf_counter()
            response = session.get(f"{base}{path}", allow_redirects=False)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if attempt >= warmup:
                times.append(elapsed)
        medians[name] = statistics.median(times)
    return medians


def run_locust(base, names, args, directory) -> tuple[dict, list[dict]]:
    """Locust's stats of the browsing (per page and "Aggregated") and the login times."""
    prefix = os.path.join(directory, "locust")
    logins_file = os.path.join(directory, "logins.json")
    env = {
        **os.environ,
        "BENCH_PASSWORD": PASSWORD,
        "BENCH_USERS": json.dumps(names),
        "BENCH_PAGES": json.dumps(PAGES),
        "BENCH_WAIT": args.wait,
        "BENCH_DURATION": str(args.duration),
        "BENCH_LOGINS": logins_file,
    }
    with open(os.path.join(directory, "locust.log"), "w") as log:
        subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--host",
                base,
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                # The locustfile stops the run `duration` s after the last login; this is
                # only a cap in case logins never complete.
                "--run-time",
                f"{args.duration + 300}s",
                "--stop-timeout",
                "10",
                "--csv",
                prefix,
                "--only-summary",
            ],
            env=env,
            check=False,  # locust exits 1 when any request failed; the table says so
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    with open(logins_file) as handle:
        return stats, json.load(handle)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * len(ordered)))] if ordered else 0.0


def report(stats, logins, baseline, args) -> bool:
    rows, ok = [], True

    def row(label, count, failures, rate, p50, p95, p99, single, target):
        nonlocal ok
        passed = (p95 < TARGET_P95_MS and failures == 0) if target else None
        ok &= passed is not False
        rows.append(
            [
                label,
                count,
                failures,
                rate,
                f"{p50:.0f}",
                f"{p95:.0f}",
                f"{p99:.0f}",
                f"{single:.1f}" if single else "",
                f"x{p50 / single:.1f}" if single else "",
                f"p95 < {TARGET_P95_MS} ms, 0 errors" if target else "",
                setup_env.verdict(passed) if target else "",
            ]
        )

    def locust_row(label, name, single):
        s = stats[name]
        row(
            label,
            int(s["Request Count"]),
            int(s["Failure Count"]),
            f"{float(s['Requests/s']):.1f}",
            *(float(s[key]) for key in ("50%", "95%", "99%")),
            single,
            True,
        )

    for name in PAGES:
        locust_row(name, name, baseline[name])
    locust_row("all pages", "Aggregated", statistics.median(baseline.values()))
    for name in ("login form", "login"):
        times = [login["ms"] for login in logins if login["name"] == name]
        failures = sum(login["failed"] for login in logins if login["name"] == name)
        p = [percentile(times, share) for share in (0.5, 0.95, 0.99)]
        label = "login POST (PBKDF2), ramp-up" if name == "login" else "login form, ramp-up"
        row(label, len(times), failures, "", *p, None, False)
        ok &= failures == 0
    setup_env.print_table(
        [
            "page",
            "requests",
            "errors",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "1 user ms",
            "p50/1 user",
            "target",
            "result",
        ],
        rows,
        title=f"locust: {args.users} users (half analysts, half reviewers), spawn rate "
        f"{args.spawn_rate}/s, browsing {args.duration} s after the last login, think time "
        f"{args.wait} s; gunicorn {args.workers} sync workers + PostgreSQL 127.0.0.1; "
        f"all on one machine: {setup_env.machine()}",
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2-4)")
    parser.add_argument("--wait", default="1,3", help="think time between pages, min,max s")
    args = parser.parse_args()
    url = setup_env.setup("postgres", "load")
    names = create_users(args.users)
    queued = fill_review_queue()
    setup_env.settle()  # statistics that know about the queue, as autovacuum would gather
    from django.db import connections

    connections.close_all()
    server, base = start_gunicorn(url, args.workers)
    try:
        wait_until_ready(server, base)
        baseline = single_user_baseline(base, names["reviewer"][0], args.workers)
        sampler = CpuSampler(database=url.rsplit("/", 1)[1])
        sampler.start()
        with tempfile.TemporaryDirectory(prefix="reportcards-bench-locust-") as directory:
            stats, logins = run_locust(base, names, args, directory)
        ended = time.monotonic()
        sampler.done.set()
        # The measured browsing is the last `duration` seconds of the locust run.
        cores = sampler.cores(ended - args.duration, ended)
    finally:
        server.terminate()  # gunicorn's master stops its workers on SIGTERM
        server.wait(timeout=30)
    print(f"\nreview queue: {queued} submitted determinations")
    ok = report(stats, logins, baseline, args)
    requests = int(stats["Aggregated"]["Request Count"])
    rows = [[group, f"{value:.2f}"] for group, value in cores.items() if group != "machine"]
    rows.append(["whole machine", f"{cores['machine']:.2f} of {os.cpu_count()}"])
    setup_env.print_table(
        ["CPU during the measured browsing", "cores busy"],
        rows,
        title=f"Where the CPU went (gunicorn CPU per page: "
        f"{cores['gunicorn'] * args.duration / max(requests, 1) * 1000:.0f} ms)",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
