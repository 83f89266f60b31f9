"""Real parts for the background-work tests: a redis-server of their own on a spare port,
a real Celery worker process (and beat) sharing the test database, and this process's
tasks sent to that broker for the duration of a test.

The worker is a separate process, so it needs a database it can reach: PostgreSQL (CI's
second pass). On the in-memory SQLite of the first pass these tests are skipped, unless
REQUIRE_WORKER_TESTS=1 says they must run, in which case they fail instead.
"""

import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from bench.local_redis import free_port, redis_binary, start_redis_server
from reportcards.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


class RedisServer:
    """A throw-away redis-server that tests may stop and start again on the same port."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process = None
        self.binary = redis_binary()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = start_redis_server(self.binary, self.port, self.directory)

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def wait_for(condition, *, timeout: float, message: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    if log is not None:
        message += "\n--- worker log ---\n" + log.read_text()[-4000:]
    pytest.fail(message)


@pytest.fixture(name="wait_for")
def wait_for_fixture():
    return wait_for


@pytest.fixture
def worker_database_url(transactional_db):
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_WORKER_TESTS") == "1":
            pytest.fail("Worker tests must run here but the database is not PostgreSQL.")
        pytest.skip("A worker process shares the test database only on PostgreSQL (CI pass 2).")
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    if not server.binary:
        pytest.fail("redis-server is not installed (apt-get install -y redis-server).")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    """Send this process's tasks to the test broker. A Celery app of the test's own is made
    current for the test (tasks declared with shared_task follow the current app), so the
    project's eager app and its connection pools stay as they were."""
    test_app = Celery("reportcards-tests", set_as_current=False)
    test_app.config_from_object("django.conf:settings", namespace="CELERY")
    test_app.conf.update(task_always_eager=False, broker_url=redis_server.url)
    # Current in this thread and the default in every other: a change committed in a
    # test's thread (concurrent approvals) queues through the test broker too, instead of
    # running the project's eager task in that thread.
    test_app.set_current()
    test_app.set_default()
    yield redis_server
    celery_app.set_default()
    celery_app.set_current()
    test_app.close()


class Worker:
    numbers = itertools.count(1)

    def __init__(self, broker, database_url, tmp_path, *, beat: bool, processes: int = 0):
        number = next(self.numbers)
        self.log = tmp_path / f"worker-{number}.log"
        env = {
            **os.environ,
            "REDIS_URL": broker.url,
            "DATABASE_URL": database_url,
            "SCORE_SWEEP_SECONDS": "1",
            "DJANGO_SETTINGS_MODULE": "reportcards.settings",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        # One process by default; `processes` runs the prefork pool of production instead
        # (`make serve`), whose main process waits on the queue while a task runs.
        pool = ["--pool=prefork", f"--concurrency={processes}"] if processes else ["--pool=solo"]
        command = [sys.executable, "-m", "celery", "-A", "reportcards", "worker", *pool,
                   "--loglevel=INFO", "--without-gossip", "--without-mingle",
                   "-n", f"test-{broker.port}@%h"]  # fmt: skip
        if beat:
            command += ["--beat", "--schedule", str(tmp_path / f"beat-schedule-{number}")]
        # A session of its own, so `kill` takes its embedded beat process down with it.
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: "ready." in self.log.read_text() or self.process.poll() is not None,
            timeout=60,
            message="the Celery worker did not start",
        )
        if self.process.poll() is not None:
            pytest.fail("the Celery worker exited:\n" + self.log.read_text()[-3000:])

    def kill(self):
        """`kill -9` of the worker and its beat: nothing runs after it, nothing is acked."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def start_worker(broker, worker_database_url, sample_data, tmp_path):
    workers = []

    def start(*, beat: bool = False, processes: int = 0) -> Worker:
        worker = Worker(broker, worker_database_url, tmp_path, beat=beat, processes=processes)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def slow_short_leased_jobs(settings, monkeypatch, tmp_path):
    """Slow steps, short leases, a sweep every second, one MEDIA_ROOT for both processes:
    a test can kill the worker, its connection or Redis in the middle of a job."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    for name, value in {
        "MEDIA_ROOT": str(media),
        "JOB_STEP_HOOK": "tests.celery.slow_steps.pause",
        "SLOW_STEP_SECONDS": "2",
        "JOB_LEASE_SECONDS": "4",
        "JOB_SWEEP_SECONDS": "1",
        "JOB_REQUEUE_AFTER_SECONDS": "30",
    }.items():
        monkeypatch.setenv(name, value)
