"""Chaos test: 30 staff at work while the worker dies, Redis restarts and connections drop.

    .venv/bin/python bench/chaos.py [--seconds 120] [--settle 120] [--staff 30] [--name chaos]

Creates the PostgreSQL database reportcards_bench_chaos with the sample data and starts,
on loopback ports of its own, a redis-server (no persistence), gunicorn (4 workers), a
Celery worker and beat, all with the production settings (DEBUG off, HTTPS-only cookies
behind a TLS proxy, which the clients play by sending X-Forwarded-Proto; two-factor login
off, since the simulated publishers have no phone). Short job leases and sweeps are set
through the environment, so the settle time at the end stays short.

Then 30 simulated staff (threads) work for `--seconds`: analysts edit, save and submit
goals of a jurisdiction each, reviewers approve goals from the review queue (four-eyes:
never their own edits), publishers publish report cards and wait for the job. Meanwhile
the script kills the worker (kill -9 of its process group) twice and starts a new one,
restarts Redis once, and terminates the bench database's other backends once
(pg_terminate_backend). After the staff stop it waits up to `--settle` seconds for the
sweeps to finish every job and recompute, and checks: no 500s (nor unanswered requests),
no job still queued or running, every approval a reviewer was told about recorded in the
database and no other, and stored scores equal to a fresh recompute. Exit status 0 only
if all of these pass. Only processes this script started are ever signalled.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

import local_redis
import mix
import setup_env
from proxied_client import PROXY_HEADERS, ProxiedClient

YEAR = 2023
DATABASE = "chaos"
PASSWORD = "bench-chaos-password"  # noqa: S105 - a throwaway database's test users
CHANGE_REASON = "Bench: chaos"
# Leases and sweeps short enough that a killed worker's job is taken up again within
# seconds (production: 90 s leases, sweeps every minute).
FAST_RECOVERY = {
    "JOB_LEASE_SECONDS": "15",
    "JOB_SWEEP_SECONDS": "2",
    "JOB_REQUEUE_AFTER_SECONDS": "5",
    "SCORE_SWEEP_SECONDS": "2",
    "SCORE_RECOMPUTE_LOST_AFTER": "10",
}
THINK = (0.5, 1.5)  # seconds between two actions of one person


# --- processes this script owns ---------------------------------------------------------


class Stack:
    """redis-server, gunicorn, a Celery worker and beat, each a Popen of ours; every
    process gets a session of its own, so a kill of its group reaches its children (the
    worker's pool) and nothing else."""

    def __init__(self, database_url: str, directory: Path):
        self.directory = directory
        self.redis_port = local_redis.free_port()
        self.web_port = local_redis.free_port()
        self.env = {
            **os.environ,
            **FAST_RECOVERY,
            "DJANGO_SETTINGS_MODULE": "reportcards.settings_production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "TWO_FACTOR_REQUIRED": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.web_port}",
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "STATIC_ROOT": str(directory / "static"),
            "MEDIA_ROOT": str(directory / "media"),
            "LOG_LEVEL": "WARNING",
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.workers_started = 0
        self.exited: list[str] = []  # processes that ended without this script's signal

    def _start(self, name: str, command: list[str], log: str) -> subprocess.Popen:
        process = subprocess.Popen(
            command,
            cwd=setup_env.ROOT,
            env=self.env,
            stdout=(self.directory / log).open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.directory / name).read_text(errors="replace")

    def collectstatic(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=setup_env.ROOT, env=self.env, check=True, timeout=300,
        )  # fmt: skip

    def start_redis(self) -> None:
        binary = local_redis.redis_binary()
        if not binary:
            raise SystemExit("redis-server is not installed (apt-get install -y redis-server)")
        self._start(
            "redis",
            local_redis.redis_command(binary, self.redis_port, self.directory),
            "redis.log",
        )
        self._wait(lambda: local_redis.answers(self.redis_port), "redis", 10)

    def start_web(self) -> None:
        self._start(
            "web",
            [str(setup_env.VENV_BIN / "gunicorn"), "reportcards.wsgi", "--bind",
             f"127.0.0.1:{self.web_port}", "--workers", "4", "--log-level", "warning"],
            "web.log",
        )  # fmt: skip
        self._wait(lambda: self._web_answers(), "gunicorn", 90)

    def _web_answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=10)
            connection.request("GET", "/accounts/login/", headers=PROXY_HEADERS)
            return connection.getresponse().status == 200
        except OSError:
            return False

    def start_worker(self) -> None:
        self.workers_started += 1
        log = f"worker-{self.workers_started}.log"
        self._start(
            "worker",
            [sys.executable, "-m", "celery", "-A", "reportcards", "worker", "--concurrency",
             "2", "--prefetch-multiplier", "1", "--loglevel", "INFO", "--without-gossip",
             "--without-mingle", "-n", f"bench-chaos-{os.getpid()}-{self.workers_started}@%h"],
            log,
        )  # fmt: skip
        self._wait(lambda: "ready." in self.log(log), "the Celery worker", 90)

    def start_beat(self) -> None:
        self._start(
            "beat",
            [sys.executable, "-m", "celery", "-A", "reportcards", "beat", "--loglevel", "INFO",
             "--schedule", str(self.directory / "beat-schedule")],
            "beat.log",
        )  # fmt: skip

    def _wait(self, ready, what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise SystemExit(f"{what} did not start within {timeout:.0f} s")
            time.sleep(0.2)

    def check_alive(self) -> list[str]:
        """Record (once) every process of ours that ended without our signal, such as a
        worker crashing when Redis went away; the names of those found now."""
        found = []
        for name, process in self.processes.items():
            code = process.poll()
            label = f"{name} (pid {process.pid}) exited by itself, status {code}"
            if code is not None and label not in self.exited:
                self.exited.append(label)
                found.append(label)
        return found

    def kill(self, name: str) -> None:
        """kill -9 of the process group we started as `name` (its pool processes too)."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):  # the whole group had already exited
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, name: str) -> None:
        mix.stop(self.processes.pop(name, None), group=True)

    def stop_all(self) -> None:
        for name in ("web", "worker", "beat", "redis"):
            self.stop(name)


# --- the simulated staff ----------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw, shared by every thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)  # (request name, status) -> count
    outcomes: Counter = field(default_factory=Counter)  # "action: outcome" -> count
    approvals: list = field(default_factory=list)  # (reviewer, code, goal) acknowledged
    server_errors: list = field(default_factory=list)

    def answered(self, name: str, status: int, path: str) -> None:
        with self.lock:
            self.statuses[name, status] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {name} {path}")

    def outcome(self, text: str) -> None:
        with self.lock:
            self.outcomes[text] += 1


class Client:
    """One browser behind the TLS proxy (bench/proxied_client.py) that tells the tally
    what every request got; 0 for no answer at all."""

    def __init__(self, port: int, tally: Tally):
        self.browser = ProxiedClient(port)
        self.tally = tally

    def request(self, name: str, method: str, path: str, data: dict | None = None):
        try:
            answer = self.browser.request(method, path, data)
        except OSError:
            self.tally.answered(name, 0, path)
            return 0, "", ""
        self.tally.answered(name, answer.status, path)
        return answer.status, answer.header("Location"), answer.body.decode(errors="replace")

    def get(self, name: str, path: str):
        return self.request(name, "GET", path)

    def post(self, name: str, path: str, fields: dict):
        return self.request(name, "POST", path, fields)

    def log_in(self, username: str) -> bool:
        _, _, text = self.get("login form", "/accounts/login/")
        fields = form_fields(page(text).find("form", attrs={"method": "post"}))
        fields.update(username=username, password=PASSWORD)
        status, location, _ = self.post("login", "/accounts/login/", fields)
        return status == 302 and "/accounts/login/" not in location

    def message(self, location: str) -> tuple[str, str]:
        """Follow a redirect after a POST; the class of the first message on the page
        ("success", "danger", ...) and its text, or ("", "") when there is none."""
        status, _, text = self.get("page after a POST", location)
        alert = page(text).select_one("div.alert[role=alert]") if status == 200 else None
        if alert is None:
            return "", ""
        kinds = [c.removeprefix("alert-") for c in alert["class"] if c.startswith("alert-")]
        return next((kind for kind in kinds if kind != "dismissible"), ""), alert.get_text(" ")


def page(text: str) -> BeautifulSoup:
    return BeautifulSoup(text or "", "html.parser")


def form_fields(form) -> dict[str, str]:
    """What a browser sends for `form`: named, enabled fields; checked boxes only; the
    chosen option; nothing inside a <template>."""
    fields: dict[str, str] = {}
    if form is None:
        return fields
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.has_attr("disabled") or element.find_parent("template"):
            continue
        if element.name == "textarea":
            fields[name] = element.get_text().removeprefix("\n")
        elif element.name == "select":
            chosen = element.find("option", selected=True) or element.find("option")
            fields[name] = chosen.get("value", "") if chosen else ""
        elif element.get("type", "text") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                fields[name] = element.get("value", "on")
        elif element.get("type", "text") not in ("submit", "button", "file", "reset"):
            fields[name] = element.get("value", "")
    return fields


def form_ending(text: str, suffix: str):
    return page(text).find("form", action=lambda action: (action or "").endswith(suffix))


def goal_path(code: str, number: str) -> str:
    return f"/assessments/{code}/{YEAR}/goals/{number}/"


class Person(threading.Thread):
    def __init__(self, username: str, client: Client, start_line: threading.Barrier, stop):
        super().__init__(name=username, daemon=True)
        self.username = username
        self.client = client
        self.start_line = start_line
        self.stop = stop

    def run(self):
        logged_in = self.client.log_in(self.username)
        self.client.tally.outcome(f"login: {'done' if logged_in else 'refused'}")
        self.start_line.wait()
        if not logged_in:
            return
        time.sleep(random.uniform(*THINK))
        while not self.stop.is_set():
            self.act()
            self.stop.wait(random.uniform(*THINK))

    def act(self):
        raise NotImplementedError


class Analyst(Person):
    """Edits a goal of their own jurisdiction, saves it and submits it for review."""

    def __init__(self, *args, code: str, goals: list[str]):
        super().__init__(*args)
        self.code, self.goals = code, goals

    def act(self):
        tally, path = self.client.tally, goal_path(self.code, random.choice(self.goals))
        _, _, text = self.client.get("goal editor", path)
        form = page(text).find("form", id="determination-form")
        if form is None:
            tally.outcome("save: not offered (waiting for review)")
            return
        fields = form_fields(form)
        narrative = fields.get("narrative", "").split("\n\nChecked again (chaos")[0]
        fields["narrative"] = f"{narrative}\n\nChecked again (chaos {self.username})."
        fields["change_reason"] = CHANGE_REASON
        status, location, _ = self.client.post("save", path, fields)
        tally.outcome(f"save: {outcome_of(self.client, status, location)}")
        if status != 302:
            return
        _, _, text = self.client.get("goal editor", location)
        submit = form_ending(text, "/submit/")
        if submit is not None:
            status, location, _ = self.client.post("submit", path + "submit/", form_fields(submit))
            tally.outcome(f"submit: {outcome_of(self.client, status, location)}")


def outcome_of(client: Client, status: int, location: str) -> str:
    """done, no message, refused (with the message's first words, numbers as N), or the
    status of an answer that was not a redirect."""
    if status == 302:
        kind, text = client.message(location)
        if kind in ("success", ""):
            return {"success": "done", "": "no message"}[kind]
        words = " ".join(re.sub(r"\d+(\.\d+)?", "N", text).split()[:8])
        return f"refused ({words} ...)"
    if status == 409:
        return "conflict or try again (409)"
    return f"status {status}"


class Reviewer(Person):
    """Approves a goal from the review queue."""

    def act(self):
        tally = self.client.tally
        _, _, text = self.client.get("review queue", "/assessments/review/")
        rows = page(text).select("tr[data-goal][data-code]")
        if not rows:
            tally.outcome("approve: queue empty")
            return
        row = random.choice(rows)
        code, number = row["data-code"], row["data-goal"]
        path = goal_path(code, number)
        _, _, text = self.client.get("goal page (review)", path)
        approve = form_ending(text, "/approve/")
        if approve is None:
            tally.outcome("approve: not offered (reviewed by another, or my own edit)")
            return
        status, location, _ = self.client.post("approve", path + "approve/", form_fields(approve))
        outcome = outcome_of(self.client, status, location)
        tally.outcome(f"approve: {outcome}")
        if outcome == "done":
            with tally.lock:
                tally.approvals.append((self.username, code, number))


class Publisher(Person):
    """Publishes a report card not yet published in this run and waits for the job. The
    publishers share one pool of jurisdictions: the publish gate refuses a version with
    nothing changed since the last, so a card leaves the pool once it is published. A card
    whose page offers no publishing stays: most often the gate is waiting for scores that
    approvals elsewhere have just made stale, which passes within seconds."""

    JOB_WAIT = 90

    def __init__(self, *args, codes: list[str]):
        super().__init__(*args)
        self.codes = codes  # shared by every publisher

    def pick(self) -> str | None:
        with self.client.tally.lock:
            return random.choice(self.codes) if self.codes else None

    def done_with(self, code: str) -> None:
        with self.client.tally.lock:
            if code in self.codes:
                self.codes.remove(code)

    def act(self):
        tally, code = self.client.tally, self.pick()
        if code is None:
            tally.outcome("publish: every card published")
            return
        path = f"/report-cards/{code}/{YEAR}/"
        _, _, text = self.client.get("report card page", path)
        form = form_ending(text, "/publish/")
        if form is None:
            tally.outcome("publish: not offered now (the gate blocks it)")
            return
        fields = {**form_fields(form), "confirm": "on", "note": "Chaos bench correction."}
        status, location, _ = self.client.post("publish", path + "publish/", fields)
        if status != 302:
            tally.outcome(f"publish: {'refused (409)' if status == 409 else f'status {status}'}")
            return
        tally.outcome("publish: job queued")
        if self.wait_for_job(location.rstrip("/") + "/status/") == "done":
            self.done_with(code)

    def wait_for_job(self, status_path: str) -> str:
        """The job's final state as its status page gives it ("" if it was still active
        when this person stopped waiting)."""
        import json

        deadline = time.monotonic() + self.JOB_WAIT
        while time.monotonic() < deadline and not self.stop.is_set():
            status, _, text = self.client.get("publish job status", status_path)
            if status == 200:
                state = json.loads(text)["state"]
                if state in ("done", "failed", "cancelled"):
                    self.client.tally.outcome(f"publish job: {state}")
                    return state
            time.sleep(1)
        self.client.tally.outcome("publish job: still active when I stopped waiting")
        return ""


# --- set-up, chaos, checks --------------------------------------------------------------


def create_staff(count: int) -> dict[str, list[str]]:
    """Two fifths analysts, two fifths reviewers, the rest publishers; one password hash."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    analysts = reviewers = count * 2 // 5
    sizes = {"analyst": analysts, "reviewer": reviewers, "publisher": count - 2 * analysts}
    groups = {"analyst": Role.ANALYST, "reviewer": Role.REVIEWER, "publisher": Role.PUBLISHER}
    hashed = make_password(PASSWORD)
    names: dict[str, list[str]] = {}
    for role, size in sizes.items():
        group = Group.objects.get(name=groups[role])
        names[role] = []
        for number in range(1, size + 1):
            user = get_user_model().objects.create(
                username=f"chaos-{role}-{number:02}", password=hashed
            )
            user.groups.add(group)
            names[role].append(user.username)
    return names


def jurisdictions() -> list[str]:
    """Codes of the cycle's assessments whose every goal is approved (publishable)."""
    from assessments.models import Assessment, ReviewState

    return list(
        Assessment.objects.filter(cycle__year=YEAR)
        .exclude(determinations__review_state__in=[s for s in ReviewState if s != "approved"])
        .order_by("jurisdiction__code")
        .values_list("jurisdiction__code", flat=True)
    )


def goal_numbers() -> list[str]:
    from assessments.models import Cycle

    cycle = Cycle.objects.select_related("framework").get(year=YEAR)
    return list(cycle.framework.goals.order_by("ordering").values_list("number", flat=True))


def terminate_connections(database: str) -> int:
    """pg_terminate_backend on every other backend of the bench database."""
    import psycopg

    with psycopg.connect(f"{setup_env.PG_SERVER}/postgres", autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return sum(1 for (ok,) in rows if ok)


def publish_running(database_url: str) -> bool:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM reportcards_publishjob WHERE state = 'running'"
        ).fetchone()
    return row[0] > 0


class Chaos(threading.Thread):
    """Kills the worker at 20 % and 80 % of the run (waiting up to 20 s for a publish to
    be running, so a render dies mid-way), restarts Redis at 40 % and terminates the
    database connections at 60 %."""

    def __init__(self, stack: Stack, seconds: float, database_url: str):
        super().__init__(daemon=True)
        self.stack, self.seconds, self.database_url = stack, seconds, database_url
        self.events: list[tuple[float, str]] = []
        self.began = time.monotonic()

    def at(self, share: float) -> None:
        """Sleep until `share` of the run, then say which of our processes ended alone."""
        time.sleep(max(0.0, self.began + share * self.seconds - time.monotonic()))
        self.look()

    def look(self) -> None:
        for exited in self.stack.check_alive():
            self.note(f"found: {exited}")

    def note(self, text: str) -> None:
        self.events.append((time.monotonic() - self.began, text))

    def kill_worker(self) -> None:
        deadline = time.monotonic() + 20
        while not publish_running(self.database_url) and time.monotonic() < deadline:
            time.sleep(0.2)
        mid = "mid-publish" if publish_running(self.database_url) else "no publish running"
        self.look()
        self.stack.kill("worker")
        self.note(f"kill -9 worker ({mid})")
        self.stack.start_worker()
        self.note("new worker ready")

    def run(self):
        self.at(0.2)
        self.kill_worker()
        self.at(0.4)
        self.stack.stop("redis")
        self.note("redis stopped (no persistence: queued messages lost)")
        time.sleep(2)
        self.stack.start_redis()
        self.note("redis started again")
        self.at(0.6)
        count = terminate_connections(self.database_url.rsplit("/", 1)[1])
        self.note(f"pg_terminate_backend: {count} connections")
        self.at(0.8)
        self.kill_worker()


def settle(timeout: float) -> tuple[float, int]:
    """Seconds until no job is queued or running and the scores are current, and the
    number of jobs still queued or running when that or `timeout` came."""
    from assessments.models import CycleScoreState
    from reportcards.models import ACTIVE_STATES, ExportJob, PreviewJob, PublishJob

    def active() -> int:
        return sum(m.objects.filter(state__in=ACTIVE_STATES).count() for m in MODELS)

    MODELS = (PublishJob, ExportJob, PreviewJob)  # noqa: N806
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        state = CycleScoreState.objects.get(cycle__year=YEAR)
        if not (active() or state.stale or state.queued_at or state.running_since):
            break
        time.sleep(1)
    return time.monotonic() - start, active()


def recorded_approvals(since) -> Counter:
    """(reviewer, jurisdiction, goal) of every approval the bench reviewers made."""
    from assessments.models import ReviewEvent

    return Counter(
        ReviewEvent.objects.filter(
            action=ReviewEvent.Action.APPROVE,
            actor__username__startswith="chaos-reviewer-",
            created_at__gte=since,
        ).values_list(
            "actor__username",
            "determination__assessment__jurisdiction__code",
            "determination__goal__number",
        )
    )


def jobs_by_state() -> list[list]:
    """Publish jobs as the database ends them: state, runs, and why any failed."""
    from django.db.models import Count, Sum

    from reportcards.models import PublishJob

    return [
        [row["state"], row["jobs"], row["runs"], row["error"][:90]]
        for row in PublishJob.objects.values("state", "error")
        .annotate(jobs=Count("id"), runs=Sum("attempts"))
        .order_by("state", "error")
    ]


def report(tally: Tally, chaos: Chaos, results: dict, args) -> bool:
    requests = sum(tally.statuses.values())
    errors = sum(n for (_, status), n in tally.statuses.items() if status >= 500)
    unanswered = sum(n for (_, status), n in tally.statuses.items() if status == 0)
    acknowledged = Counter(tally.approvals)
    recorded = results["recorded"]
    checks = [
        ["requests answered with 500 or above", errors, "0", errors == 0],
        ["requests with no answer", unanswered, "0", unanswered == 0],
        ["jobs queued or running after the settle time", results["stuck"], "0",
         results["stuck"] == 0],
        ["processes that exited without the script's signal", len(results["exited"]), "0",
         not results["exited"]],
        ["approvals acknowledged to reviewers", acknowledged.total(), "", None],
        ["approvals recorded in the database", recorded.total(), "the same ones",
         recorded == acknowledged],
        [f"scores equal a fresh recompute ({results['jurisdictions']} jurisdictions)",
         "yes" if results["equal"] else "NO", "yes", results["equal"]],
    ]  # fmt: skip
    setup_env.print_table(
        ["check", "count", "target", "result"],
        [[name, count, target, setup_env.verdict(ok) if ok is not None else ""]
         for name, count, target, ok in checks],
        title=f"chaos: {args.staff} staff for {args.seconds:.0f} s on gunicorn (4 workers) + "
        f"PostgreSQL + Celery worker + beat + redis, production settings; settled in "
        f"{results['settled']:.0f} s (at most {args.settle:.0f}); {requests} requests; "
        f"{setup_env.machine()}",
    )  # fmt: skip
    setup_env.print_table(
        ["t (s)", "event"], [[f"{t:.0f}", text] for t, text in chaos.events], title="Chaos"
    )
    setup_env.print_table(
        ["what the staff did", "count"],
        [[name, count] for name, count in sorted(tally.outcomes.items())],
        title="Outcomes as the clients saw them",
    )
    setup_env.print_table(
        ["publish job state", "jobs", "runs", "error"], results["jobs"], title="Publish jobs"
    )
    for line in results["exited"]:
        print("exited on its own:", line)
    for line in tally.server_errors[:20]:
        print("server error:", line)
    return all(ok is not False for *_, ok in checks)


def run(args, url: str, directory: Path) -> bool:
    from django.db import connections
    from django.utils import timezone

    names = create_staff(args.staff)
    codes, goals = jurisdictions(), goal_numbers()
    analysts_codes = [code for code in codes if code != "MS"][: len(names["analyst"])]
    publishers_codes = [code for code in codes if code not in analysts_codes]
    setup_env.settle()
    connections.close_all()  # the terminate step would cut it anyway
    stack = Stack(url, directory)
    tally = Tally()
    try:
        stack.collectstatic()
        stack.start_redis()
        stack.start_worker()
        stack.start_beat()
        stack.start_web()
        stop = threading.Event()
        start_line = threading.Barrier(args.staff + 1)
        people = []
        for role, usernames in names.items():
            for number, username in enumerate(usernames):
                client = Client(stack.web_port, tally)
                person = (username, client, start_line, stop)
                if role == "analyst":
                    people.append(Analyst(*person, code=analysts_codes[number], goals=goals))
                elif role == "reviewer":
                    people.append(Reviewer(*person))
                else:
                    people.append(Publisher(*person, codes=publishers_codes))
        for person in people:
            person.start()
        start_line.wait()  # every login done (PBKDF2 is slow): the clock starts now
        began_at = timezone.now()
        chaos = Chaos(stack, args.seconds, url)
        chaos.start()
        time.sleep(args.seconds)
        stop.set()
        for person in people:
            person.join(timeout=120)
        chaos.join(timeout=120)
        chaos.look()
        chaos.note("staff stopped")
        settled, stuck = settle(args.settle)
        chaos.look()
        recorded = recorded_approvals(began_at)
    finally:
        stack.stop_all()
    equal, count = mix.scores_equal_a_fresh_recompute()
    results = {"settled": settled, "stuck": stuck, "recorded": recorded, "equal": equal,
               "jurisdictions": count, "jobs": jobs_by_state(), "exited": stack.exited}  # fmt: skip
    return report(tally, chaos, results, args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--settle", type=float, default=120, help="at most, for the sweeps")
    parser.add_argument("--staff", type=int, default=30)
    parser.add_argument("--keep-logs", action="store_true", help="print where the logs are")
    parser.add_argument(
        "--name",
        default=DATABASE,
        help="database reportcards_bench_NAME (default chaos); give your own on a shared machine",
    )
    args = parser.parse_args()
    url = setup_env.setup("postgres", args.name)
    directory = Path(tempfile.mkdtemp(prefix="reportcards-bench-chaos-"))
    try:
        ok = run(args, url, directory)
    finally:
        if args.keep_logs:
            print(f"logs: {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
