"""Load test: 50 analysts and reviewers browsing, on gunicorn + PostgreSQL, with locust;
with --mix, then the same users also saving, submitting and approving, with a Celery worker.

    .venv/bin/python bench/load.py [--users 50] [--spawn-rate 10] [--duration 60]
                                   [--workers 3] [--wait 1,3] [--mix]

Creates the PostgreSQL database reportcards_bench_load with the sample data, 25 analysts
and 25 reviewers (one known password), puts 10 jurisdictions' goals in the review queue,
starts gunicorn on 127.0.0.1 at a free port (reportcards.settings, DEBUG off), measures
each page for a single user first (the baseline), then runs locust headless: users log in
during the ramp-up, then browse for `--duration` seconds after the last login (see
locustfile.py). Prints p50/p95/p99, requests/s and errors per page from locust's CSV,
the logins separately, and where the machine's CPU went during the measured browsing.
Target: p95 < 100 ms and no errors.

--mix starts a redis-server of its own and a Celery worker (with beat) first, so that
approvals queue real recomputes, runs the read-only test on that stack, then the mixed
one: analysts save and submit goals of a jurisdiction each, reviewers approve or request
changes from the shared queue, everyone also reads the pages. It prints the mixed run's
figures as ratios against the read-only run just before, the writes as users saw them
(done, 409 conflict, "try again", refused) against what the database recorded, the
recomputes the worker ran against the approvals, and whether the stored scores equal a
fresh recompute. Target: p95 < 150 ms, no errors (a 409 or a refusal the app explains is
counted apart), every confirmed write recorded, scores equal to a fresh recompute.

Everything started is stopped, and the database removed, on exit.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

import local_redis
import mix
import setup_env

TARGET_P95_MS = 100
TARGET_MIXED_P95_MS = 150
PASSWORD = "bench-load-password"  # noqa: S105 - a throwaway database's test users
HERE = Path(__file__).resolve().parent
PAGES = {
    "overview": "/assessments/MS/2023/",
    "editor": "/assessments/MS/2023/goals/2.9/",
    "review queue": "/assessments/review/",
    "dashboard": "/dashboard/2023/",
    "my work (inbox)": "/",
    "national table": "/national/",
    "cycle board": "/assessments/cycle/2023/board/",
    "goal 2.9 across the country": "/assessments/goal/2023/2.9/",
    "search": "/assessments/search/?q=trafficking&year=2023",
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


def start_gunicorn(url: str, workers: int, redis_url: str = "") -> tuple[subprocess.Popen, str]:
    """gunicorn on a free port; with `redis_url`, tasks (recomputes) go to that broker,
    otherwise they run in the request, as without a worker."""
    port = local_redis.free_port()
    env = {
        **os.environ,
        **setup_env.BENCH_ENV,
        "REDIS_URL": redis_url,
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",  # no collectstatic here
    }
    server = subprocess.Popen(
        [
            str(setup_env.VENV_BIN / "gunicorn"),
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
    PostgreSQL backends of the bench database, locust, the Celery worker and redis of a
    mixed run, and the whole machine: where the two cores went during the measured minute."""

    def __init__(self, database: str, base: str, redis_port: int | None = None):
        super().__init__(daemon=True)
        self.database = database
        # A process belongs to the first group whose words all appear in its command line;
        # the words name this run's processes only (its port, its database, its files), as
        # other people on the machine may run gunicorn and Celery workers of this app too.
        self.patterns = {
            "gunicorn": ("gunicorn reportcards.wsgi", base.removeprefix("http://")),
            "PostgreSQL": ("postgres:", database),
            "locust": (str(HERE / "locustfile.py"),),
        }
        if redis_port:
            self.patterns["Celery worker"] = ("celery -A reportcards worker", mix.WORKER_NAME)
            self.patterns["redis"] = ("redis-server", f":{redis_port}")
        self.groups = tuple(self.patterns)
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.done = threading.Event()

    def group(self, command: str) -> str | None:
        for name, words in self.patterns.items():
            if all(word in command for word in words):
                return name
        return None

    def snapshot(self) -> dict[str, float]:
        used = dict.fromkeys(self.groups, 0.0)
        for process in psutil.process_iter(["cmdline", "cpu_times"]):
            group = self.group(" ".join(process.info["cmdline"] or ()))
            times = process.info["cpu_times"]
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
        cores["other work on the machine"] = cores["machine"] - sum(cores[g] for g in self.groups)
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


READ_ONLY = ("Analyst", "Reviewer")  # locustfile.py's user classes of each profile
MIXED = ("MixAnalyst", "MixReviewer")


def run_locust(base, names, args, directory, profile=READ_ONLY, extra_env=None):
    """Locust's stats of the browsing (per page and "Aggregated"), the login times and,
    for the mixed profile, the outcomes of the writes."""
    prefix = os.path.join(directory, f"locust-{profile[0]}")
    logins_file = os.path.join(directory, f"logins-{profile[0]}.json")
    outcomes_file = os.path.join(directory, f"outcomes-{profile[0]}.json")
    env = {
        **os.environ,
        **(extra_env or {}),
        "BENCH_PASSWORD": PASSWORD,
        "BENCH_USERS": json.dumps(names),
        "BENCH_PAGES": json.dumps(PAGES),
        "BENCH_WAIT": args.wait,
        "BENCH_DURATION": str(args.duration),
        "BENCH_LOGINS": logins_file,
        "BENCH_OUTCOMES": outcomes_file,
    }
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(
            [
                str(setup_env.VENV_BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                *profile,
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
        logins = json.load(handle)
    with open(outcomes_file) as handle:
        return stats, logins, json.load(handle)


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
    parser.add_argument(
        "--mix",
        action="store_true",
        help="with a Celery worker and redis: the read-only run, then a mixed read/write run",
    )
    parser.add_argument(
        "--name",
        default="load",
        help="database reportcards_bench_NAME (default load); give your own on a shared machine",
    )
    args = parser.parse_args()
    url = setup_env.setup("postgres", args.name)
    names = create_users(args.users)
    queued = fill_review_queue()
    work = mix.assign_work(names["analyst"]) if args.mix else {}
    setup_env.settle()  # statistics that know about the queue, as autovacuum would gather
    from django.db import connections

    connections.close_all()
    print(f"\nreview queue: {queued} submitted determinations")
    with tempfile.TemporaryDirectory(prefix="reportcards-bench-locust-") as directory:
        if args.mix:
            return run_mixed(url, names, work, args, directory)
        server, base = start_gunicorn(url, args.workers)
        try:
            wait_until_ready(server, base)
            baseline = single_user_baseline(base, names["reviewer"][0], args.workers)
            sampler = CpuSampler(database=url.rsplit("/", 1)[1], base=base)
            sampler.start()
            stats, logins, _ = run_locust(base, names, args, directory)
            cores = measured_cores(sampler, args)
        finally:
            stop_gunicorn(server)
    ok = report(stats, logins, baseline, args)
    print_cpu({"browsing": (cores, int(stats["Aggregated"]["Request Count"]))}, args)
    return 0 if ok else 1


def measured_cores(sampler: CpuSampler, args) -> dict[str, float]:
    """Cores busy per group during the measured browsing: the last `duration` seconds of
    the locust run that just ended."""
    # Up to the last sample before the end: locust's own CPU time leaves with its process.
    ended = time.monotonic()
    return sampler.cores(ended - args.duration, ended)


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.terminate()  # gunicorn's master stops its workers on SIGTERM
    server.wait(timeout=30)


def print_cpu(runs: dict[str, tuple[dict[str, float], int]], args) -> None:
    """Where the CPU went, one column per run (its cores busy per group, and the requests
    it served): gunicorn's CPU per request is the figure other work on the machine
    disturbs least."""
    groups = [group for group in list(runs.values())[-1][0] if group != "machine"]
    rows = [
        [group, *(f"{cores.get(group, 0.0):.2f}" for cores, _ in runs.values())] for group in groups
    ]
    machine = [f"{cores['machine']:.2f} of {os.cpu_count()}" for cores, _ in runs.values()]
    rows.append(["whole machine", *machine])
    rows.append(
        [
            "gunicorn CPU per request, ms",
            *(f"{cores['gunicorn'] * args.duration / max(requests, 1) * 1000:.0f}"
              for cores, requests in runs.values()),
        ]
    )  # fmt: skip
    setup_env.print_table(
        ["CPU during the measured browsing, cores busy", *runs], rows, title="Where the CPU went"
    )


def run_mixed(url, names, work, args, directory) -> int:
    """The read-only run, then the mixed one, on the same gunicorn, worker and redis."""
    redis, port = mix.start_redis(directory)
    worker = server = None
    try:
        redis_url = f"redis://127.0.0.1:{port}/0"
        worker = mix.start_worker(url, redis_url, directory)
        server, base = start_gunicorn(url, args.workers, redis_url)
        wait_until_ready(server, base)
        baseline = single_user_baseline(base, names["reviewer"][0], args.workers)
        sampler = CpuSampler(database=url.rsplit("/", 1)[1], base=base, redis_port=port)
        sampler.start()
        read = run_locust(base, names, args, directory)
        read_cores = measured_cores(sampler, args)
        mix.wait_until_settled()
        before = mix.Tally.now()
        extra_env = {"BENCH_WORK": json.dumps(work), "BENCH_GOALS": json.dumps(mix.goal_numbers())}
        mixed = run_locust(base, names, args, directory, MIXED, extra_env)
        mixed_cores = measured_cores(sampler, args)
        settled_after = mix.wait_until_settled()
        recorded = mix.Tally.now() - before
    finally:
        if server is not None:
            stop_gunicorn(server)
        mix.stop(worker)
        mix.stop(redis)
    equal, jurisdictions = mix.scores_equal_a_fresh_recompute()
    ok = report(read[0], read[1], baseline, args)
    ok &= report_mixed(mixed[0], read[0], args)
    ok &= report_writes(mixed[2], recorded)
    ok &= report_scores(recorded, settled_after, equal, jurisdictions)
    print_cpu(
        {
            "read-only run": (read_cores, int(read[0]["Aggregated"]["Request Count"])),
            "mixed run": (mixed_cores, int(mixed[0]["Aggregated"]["Request Count"])),
        },
        args,
    )
    return 0 if ok else 1


MIXED_ORDER = (*PAGES, "editor (own jurisdiction)", "goal page (review)", "save", "submit",
               "approve", "request changes", "goal page after a POST")  # fmt: skip


def report_mixed(stats, read_only, args) -> bool:
    """Each request of the mixed run, with its p50 and p95 against the same page in the
    read-only run just before (the writes have no read-only counterpart)."""
    rows, ok = [], True
    names = [name for name in MIXED_ORDER if name in stats] + ["Aggregated"]
    for name in names:
        s, before = stats[name], read_only.get(name)
        p50, p95, p99 = (float(s[key]) for key in ("50%", "95%", "99%"))
        failures = int(s["Failure Count"])
        passed = p95 < TARGET_MIXED_P95_MS and failures == 0
        ok &= passed
        rows.append(
            [
                "all requests" if name == "Aggregated" else name,
                int(s["Request Count"]),
                failures,
                f"{float(s['Requests/s']):.1f}",
                f"{p50:.0f}",
                f"{p95:.0f}",
                f"{p99:.0f}",
                f"x{p50 / float(before['50%']):.1f}" if before else "",
                f"x{p95 / float(before['95%']):.1f}" if before else "",
                f"p95 < {TARGET_MIXED_P95_MS} ms, 0 errors",
                setup_env.verdict(passed),
            ]
        )
    setup_env.print_table(
        ["request", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms",
         "p50/read-only", "p95/read-only", "target", "result"],
        rows,
        title=f"Mixed read/write run: {args.users} users (half analysts saving and submitting "
        f"goals of their own jurisdiction, half reviewers approving or requesting changes "
        f"from the shared queue, all also reading), browsing {args.duration} s after the last "
        f"login, think time {args.wait} s; gunicorn {args.workers} sync workers + Celery "
        f"worker (1 process, beat) + redis + PostgreSQL 127.0.0.1; ratios against the "
        f"read-only run above; {setup_env.machine()}",
    )  # fmt: skip
    return ok


WRITES = (  # locust's action, the Tally field that counts it in the database
    ("save", "saves"),
    ("submit", "submits"),
    ("approve", "approvals"),
    ("request changes", "requests_for_changes"),
)


def report_writes(outcomes: dict[str, int], recorded) -> bool:
    """What each write came to as the users saw it, against what the database recorded:
    every write the app confirmed is there, and nothing else."""
    rows, ok = [], True
    for action, field in WRITES:
        seen = {key.split(": ", 1)[1]: count for key, count in outcomes.items()
                if key.startswith(f"{action}: ")}  # fmt: skip
        done, stored = seen.pop("done", 0), getattr(recorded, field)
        errors = sum(count for outcome, count in seen.items() if outcome.startswith("error"))
        passed = done == stored and errors == 0
        ok &= passed
        rows.append(
            [
                action,
                done,
                seen.pop("edit conflict", 0),
                seen.pop("try again", 0),
                seen.pop("refused", 0),
                ", ".join(f"{outcome}: {count}" for outcome, count in sorted(seen.items())),
                stored,
                "recorded == done, 0 errors",
                setup_env.verdict(passed),
            ]
        )
    for key, count in sorted(outcomes.items()):
        if key.startswith("review: "):
            rows.append([key, "", "", "", "", count, "", "", ""])
    setup_env.print_table(
        ["write", "done", "409 conflict", "409 try again", "refused (message)", "other",
         "in the database", "target", "result"],
        rows,
        title="Writes of the mixed run as the users saw them, and as the database recorded "
        "them (conflicts and refusals are the app saying so, not errors)",
    )  # fmt: skip
    return ok


def report_scores(recorded, settled_after: float, equal: bool, jurisdictions: int) -> bool:
    """Recomputes coalesce: at least one ran, and never more than one per change that
    made the scores stale (approvals, and saves that reopened an approved goal)."""
    changes = recorded.approvals + recorded.reopens
    coalesced = (recorded.runs >= 1) if changes else recorded.runs == 0
    coalesced &= recorded.runs <= changes
    setup_env.print_table(
        ["after the mixed run", "value", "result"],
        [
            ["approvals", recorded.approvals, ""],
            ["approved goals reopened by a save", recorded.reopens, ""],
            ["recomputes the worker ran (CycleScoreState.runs)", recorded.runs,
             setup_env.verdict(coalesced)],
            ["approvals per recompute", f"{recorded.approvals / max(recorded.runs, 1):.1f}", ""],
            ["scores settled, s after the run", f"{settled_after:.1f}", ""],
            [f"scores equal a fresh recompute ({jurisdictions} jurisdictions)",
             "yes" if equal else "NO", setup_env.verdict(equal)],
        ],
        title="Recomputes: coalesced while approvals arrive; the snapshots the worker left "
        "against a recompute run now",
    )  # fmt: skip
    return coalesced and equal


if __name__ == "__main__":
    sys.exit(main())
