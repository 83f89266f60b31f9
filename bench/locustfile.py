"""Analysts and reviewers browsing Report Cards; run by bench/load.py (not on its own).

Each simulated user logs in once through the login form (as a user named in
BENCH_USERS), waits until every user has logged in, then browses the pages load.py
names in BENCH_PAGES: the Mississippi overview, a goal editor, the dashboard and the
national table; reviewers also open the review queue. Logging in costs a PBKDF2 hash
(about half a second of CPU), so 50 logins keep a 2-core server busy for many seconds:
the statistics are reset when the last user has logged in, and the run stops
BENCH_DURATION seconds later. Locust's CSV thus covers the browsing only; the login
times are written to BENCH_LOGINS.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

import gevent
from gevent.event import Event
from locust import FastHttpUser, between, events, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "")
USERS = json.loads(os.environ.get("BENCH_USERS", '{"analyst": [], "reviewer": []}'))
WAIT = [float(value) for value in os.environ.get("BENCH_WAIT", "1,3").split(",")]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_FORM, LOGIN = "login form", "login"
PAGES = json.loads(os.environ.get("BENCH_PAGES", "{}"))  # name -> path, from load.py
USER_COUNT = sum(len(names) for names in USERS.values())
DURATION = float(os.environ.get("BENCH_DURATION", "60"))
_names = {role: itertools.cycle(names) for role, names in USERS.items()}
_logins: list[dict] = []
_everyone_in = Event()


class Staff(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(*WAIT)

    def on_start(self):
        username = next(_names[self.role])
        form = self.client.get("/accounts/login/", name=LOGIN_FORM)
        token = CSRF.search(form.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name=LOGIN,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/accounts/login/" in response.headers.get(
                "Location", ""
            ):
                response.failure(f"login of {username} failed: {response.status_code}")
        logged_in = sum(1 for login in _logins if login["name"] == LOGIN)
        if logged_in >= USER_COUNT and not _everyone_in.is_set():
            self.environment.stats.reset_all()  # measure the browsing from here on
            _everyone_in.set()
            gevent.spawn_later(DURATION, self.environment.runner.quit)
        _everyone_in.wait()
        # Released together, 50 users would all hit the server in the same instant; start
        # each at a random point of one think time instead, as people drift in.
        gevent.sleep(random.uniform(0, WAIT[1]))

    def page(self, name):
        with self.client.get(PAGES[name], name=name, catch_response=True) as response:
            # Anything but the page itself (a redirect to the login form, an error) fails.
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


class Analyst(Staff):
    role = "analyst"

    @task
    def overview(self):
        self.page("overview")

    @task
    def editor(self):
        self.page("editor")

    @task
    def dashboard(self):
        self.page("dashboard")

    @task
    def national_table(self):
        self.page("national table")


class Reviewer(Analyst):
    role = "reviewer"

    @task
    def review_queue(self):
        self.page("review queue")


@events.request.add_listener
def _record_login(name, response_time, exception, **kwargs):
    if name in (LOGIN_FORM, LOGIN):
        _logins.append({"name": name, "ms": response_time, "failed": exception is not None})


@events.quitting.add_listener
def _write_logins(environment, **kwargs):
    if os.environ.get("BENCH_LOGINS"):
        with open(os.environ["BENCH_LOGINS"], "w") as handle:
            json.dump(_logins, handle)
