"""The production path, started for real: collectstatic, then the Procfile's web (gunicorn),
worker and beat through honcho, with the production settings (DEBUG off, a secret key,
HTTPS-only cookies, HSTS, two-factor login) on PostgreSQL and a Redis of the test's own.

Every page of the URL matrix (tests/reportcards/test_url_role_matrix.py, the one list) is
fetched over real HTTP as each role, as a TLS-terminating proxy forwards it
(X-Forwarded-Proto: https); each answer has the status the matrix expects, HSTS and the
Content Security Policy, and the login's cookies are Secure and HttpOnly. A cycle export
built by the worker and a sweep sent by beat show the background processes work.
Runs in CI's PostgreSQL pass (REQUIRE_WORKER_TESTS=1); skipped on SQLite.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.proxied_client import Answer, ProxiedClient
from reportcards.models import ExportJob, JobState
from tests.celery.conftest import free_port, wait_for
from tests.factories import PASSWORD
from tests.reportcards.test_url_role_matrix import MATRIX, ROLES, url_of

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HSTS = "max-age=31536000; includeSubDomains; preload"
SECOND_FACTOR = {"publisher", "admin"}  # the roles the production settings ask for a code
STARTUP_SECONDS = 90


class Visitor(ProxiedClient):
    """A browser behind the TLS proxy (bench/proxied_client.py) that keeps every answer."""

    def __init__(self, port: int):
        super().__init__(port)
        self.answers: list[tuple[str, Answer]] = []

    def request(self, method: str, path: str, data: dict | None = None) -> Answer:
        answer = super().request(method, path, data)
        self.answers.append((f"{method} {path}", answer))
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def submit(self, path: str, fields: dict) -> Answer:
        """Post the first form of the page at `path` with its CSRF token and `fields`."""
        page = BeautifulSoup(self.get(path).body, "html.parser")
        token = page.select_one("input[name=csrfmiddlewaretoken]")["value"]
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **fields})


def production_environment(tmp_path, database_url: str, redis_url: str, port: int) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        PATH=f"{BIN}:{environment.get('PATH', '')}",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        CELERY_CONCURRENCY="1",
        CELERY_BEAT_SCHEDULE=str(tmp_path / "beat-schedule"),
        SCORE_SWEEP_SECONDS="2",
        JOB_SWEEP_SECONDS="2",
    )
    return environment


class Production:
    """`make serve` minus installing and migrating (the test database is migrated)."""

    def __init__(self, environment: dict, log: Path):
        self.log = log
        self.port = int(environment["BIND"].rsplit(":", 1)[1])
        production = {**environment, "DJANGO_SETTINGS_MODULE": "reportcards.settings_production"}
        for step in (
            ["check", "--deploy", "--fail-level", "WARNING"],
            ["collectstatic", "--noinput"],
        ):
            done = subprocess.run(
                [sys.executable, "manage.py", *step],
                cwd=ROOT, env=production, capture_output=True, text=True, timeout=180,
            )  # fmt: skip
            assert done.returncode == 0, done.stdout + done.stderr
        # The Procfile chooses the production settings itself: DJANGO_SETTINGS_MODULE unset.
        self.process = subprocess.Popen(
            [str(BIN / "honcho"), "start", "-f", "Procfile"],
            cwd=ROOT, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def text(self) -> str:
        return self.log.read_text()

    def started(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail("honcho exited:\n" + self.text()[-4000:])
        log = self.text()
        return "Listening at" in log and "ready." in log and "beat: Starting" in log

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # honcho stops web, worker and beat
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the group this test started
                self.process.wait(timeout=10)


@pytest.fixture
def production(tmp_path, settings, worker_database_url, redis_server):
    settings.MEDIA_ROOT = tmp_path / "media"  # shared with the processes: stand-in files
    port = free_port()
    environment = production_environment(tmp_path, worker_database_url, redis_server.url, port)
    started = Production(environment, tmp_path / "production.log")
    try:
        wait_for(
            started.started,
            timeout=STARTUP_SECONDS,
            message="web, worker and beat did not start",
            log=started.log,
        )
        yield started
    finally:
        started.stop()


def usable_in_production(world):
    """Passwords in a hasher the production settings accept (the tests hash with MD5), and
    an authenticator for each role that must confirm logins with a code."""
    hasher = PBKDF2PasswordHasher()
    devices = {}
    for role, user in world.users.items():
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save(update_fields=["password"])
        if role in SECOND_FACTOR:
            devices[role] = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return devices


def log_in(visitor: Visitor, role: str, device) -> Answer:
    answer = visitor.submit("/accounts/login/", {"username": role, "password": PASSWORD})
    assert answer.status == 302, answer.body[:2000]
    login = answer
    home = visitor.get("/")
    if device is None:
        assert home.status == 200
        return login
    assert home.status == 302 and home.header("Location").startswith("/accounts/two-factor/verify/")
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    verified = visitor.submit(home.header("Location"), {"code": code})
    assert verified.status == 302, verified.body[:2000]
    assert visitor.get("/").status == 200
    return login


def expected_status(name: str, role: str) -> str:
    return "served" if role in MATRIX[name][1] else "forbidden"


def outcome(answer: Answer) -> str:
    if answer.status == 302 and answer.header("Location").startswith("/accounts/login/"):
        return "login"
    return {403: "forbidden", 404: "not found", 405: "no such method"}.get(
        answer.status, "served" if answer.status < 400 else f"status {answer.status}"
    )


def test_production_serves_every_page_to_each_role_and_runs_background_work(production, world):
    """One start of the stack (collectstatic and startup take most of the time)."""
    began = time.monotonic()
    devices = usable_in_production(world)
    visitors = {role: logged_in(production, role, devices.get(role)) for role in ROLES}
    background_work(production, visitors["publisher"])  # before the matrix's stand-in files
    every_page_as_each_role(world, visitors)
    assert time.monotonic() - began < 300


def logged_in(production, role: str, device) -> Visitor:
    """A visitor logged in as `role` through the login form (and the code, where asked);
    the login's cookies are Secure, the session's HttpOnly."""
    visitor = Visitor(production.port)
    login = log_in(visitor, role, device)
    cookies = {line.split("=", 1)[0]: line for line in login.cookies()}
    assert "Secure" in cookies["sessionid"] and "HttpOnly" in cookies["sessionid"]
    assert "Secure" in cookies["csrftoken"]
    return visitor


def every_page_as_each_role(world, visitors: dict[str, Visitor]):
    pages = {name: url_of(name, world) for name, (_, get, _) in MATRIX.items() if get}
    seen, wanted = {}, {}
    for role, visitor in visitors.items():
        for name, url in pages.items():
            seen[name, role] = outcome(visitor.get(url))
            wanted[name, role] = expected_status(name, role)
    assert seen == wanted
    everything = [answer for visitor in visitors.values() for answer in visitor.answers]
    assert not [request for request, answer in everything if answer.status >= 500]
    assert {
        request
        for request, answer in everything
        if answer.header("Strict-Transport-Security") != HSTS
    } == set()
    assert {
        request
        for request, answer in everything
        if "default-src 'self'" not in answer.header("Content-Security-Policy")
    } == set()


def background_work(production, publisher: Visitor):
    """An export built by the worker, downloaded; a sweep sent by beat. (The publisher stays
    logged in: an authenticator code is accepted once.)"""
    answer = publisher.submit("/exports/2023/", {})
    assert answer.status == 302
    job = ExportJob.objects.latest("pk")
    wait_for(
        lambda: ExportJob.objects.get(pk=job.pk).state in (JobState.DONE, JobState.FAILED),
        timeout=60,
        message="the worker did not build the export",
        log=production.log,
    )
    finished = ExportJob.objects.get(pk=job.pk)
    assert finished.state == JobState.DONE, (finished.error, production.text()[-3000:])
    download = publisher.get(f"/exports/file/{job.pk}/")
    assert download.status == 200 and download.body.startswith(b"PK")
    wait_for(
        lambda: "Sending due task requeue-stale-jobs" in production.text(),
        timeout=30,
        message="beat sent no sweep",
        log=production.log,
    )
