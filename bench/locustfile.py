"""Analysts and reviewers browsing Report Cards; run by bench/load.py (not on its own).

Two profiles, chosen by the user classes load.py names: `Analyst` and `Reviewer` only
read pages; `MixAnalyst` and `MixReviewer` (load.py --mix) read the same pages and also
work: analysts save and submit goals of the jurisdiction load.py gave them (BENCH_WORK),
reviewers pick a goal from the review queue and approve it or request changes, through
the same forms a browser sends. What each write came to (done, an edit conflict, "try
again", refused with a message) is written to BENCH_OUTCOMES.

Each simulated user logs in once through the login form (as a user named in
BENCH_USERS), waits until every user has logged in, then browses the pages load.py
names in BENCH_PAGES: the Mississippi overview, a goal editor, the dashboard, the
national table, the cycle board and a search; reviewers also open the review queue and
goal 2.9 across the country. Logging in costs a PBKDF2 hash
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
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlencode

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
        username = self.username = next(_names[self.role])
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
    def my_work(self):
        self.page("my work (inbox)")

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

    @task
    def cycle_board(self):
        self.page("cycle board")

    @task
    def search(self):
        self.page("search")


class Reviewer(Analyst):
    role = "reviewer"

    @task
    def review_queue(self):
        self.page("review queue")

    @task
    def goal_across(self):
        self.page("goal 2.9 across the country")


# --- The mixed profile: the same reading, plus the writes of a working day.

WORK = json.loads(os.environ.get("BENCH_WORK", "{}"))  # analyst username -> jurisdiction
GOALS = json.loads(os.environ.get("BENCH_GOALS", "[]"))  # the framework's goal numbers
YEAR = 2023
CHANGE_REASON = "Bench: mixed load"
REQUEST_CHANGES_SHARE = 0.2  # of reviews; the rest approve
MESSAGE = re.compile(
    r'<div class="alert alert-(\w+) alert-dismissible" role="alert">\s*(.*?)<button', re.S
)
QUEUE_ROW = re.compile(r'<tr data-goal="([^"]+)" data-code="([^"]+)">')
MARK = re.compile(r"\n\nChecked again \(bench [^)]*\)\.$")
_outcomes: Counter = Counter()  # "action: outcome" -> count


class FormFields(HTMLParser):
    """What a browser sends for the first form `wanted(attributes)` picks: named fields,
    checked boxes only, the chosen option, no disabled fields and nothing inside a
    <template>. The standard library's parser, so locust's CPU stays small."""

    def __init__(self, wanted):
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.state = "before"  # before, inside, after
        self.fields: list[tuple[str, str]] = []
        self.templates = 0
        self.textarea: list | None = None
        self.select: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.state == "before" and self.wanted(attrs):
            self.state = "inside"
        elif self.state == "inside":
            self._field(tag, attrs)

    def _field(self, tag, attrs):
        if tag == "template":
            self.templates += 1
        usable = not self.templates and "name" in attrs and "disabled" not in attrs
        if tag == "input" and usable and self._sent(attrs):
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea" and usable:
            self.textarea = [attrs["name"], ""]
        elif tag == "select" and usable:
            self.select = [attrs["name"], None, None]  # name, first option, chosen option
        elif tag == "option" and self.select is not None:
            value = attrs.get("value") or ""
            self.select[1] = value if self.select[1] is None else self.select[1]
            self.select[2] = value if "selected" in attrs else self.select[2]

    @staticmethod
    def _sent(attrs) -> bool:
        kind = attrs.get("type", "text")
        if kind in ("checkbox", "radio"):
            return "checked" in attrs
        return kind not in ("submit", "button", "file", "reset")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if self.state != "inside":
            return
        if tag == "form":
            self.state = "after"
        elif tag == "template":
            self.templates -= 1
        elif tag == "textarea" and self.textarea is not None:
            name, value = self.textarea
            self.fields.append((name, value.removeprefix("\n")))  # as a browser drops it
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, first, chosen = self.select
            self.fields.append((name, chosen if chosen is not None else first or ""))
            self.select = None


def form_fields(html: str, wanted) -> dict[str, str] | None:
    """The fields of the form `wanted` picks, or None when the page has no such form."""
    parser = FormFields(wanted)
    parser.feed(html or "")
    return dict(parser.fields) if parser.state != "before" else None


def action_ends(suffix):
    return lambda attrs: attrs.get("action", "").endswith(suffix)


class Writer(Staff):
    """A member of staff who also writes. Each write is a POST (timed on its own) and, when
    the app redirects, the page it redirects to, whose message says what happened."""

    abstract = True

    def post_form(self, action: str, path: str, fields: dict[str, str]) -> tuple[str, str]:
        """Send a form the way a browser does; the outcome (also counted in _outcomes) and
        the page the user ends up on."""
        with self.client.post(
            path,
            data=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": path},
            name=action,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            outcome, page = self._judge(response), response.text or ""
            if outcome.startswith("error"):
                response.failure(outcome)
            else:
                response.success()  # a refusal the app explains is not an error
        if outcome == "redirected":
            outcome, page = self._follow(response.headers.get("Location", path))
        _outcomes[f"{action}: {outcome}"] += 1
        return outcome, page

    @staticmethod
    def _judge(response) -> str:
        status = response.status_code
        body = response.text or ""
        if status == 302:
            return "redirected"
        if status == 409:
            return "try again" if "please try again" in body else "edit conflict"
        if status == 400 and 'id="review-refused"' in body:
            return "refused"
        return f"error {status}"

    def _follow(self, location: str) -> tuple[str, str]:
        """The page a POST redirected to, and what its message says happened."""
        with self.client.get(location, name="goal page after a POST", catch_response=True) as page:
            text = page.text or ""
            if page.status_code != 200:
                page.failure(f"status {page.status_code}")
                return f"error {page.status_code} after the redirect", text
        found = MESSAGE.search(text)
        if found is None:
            return "no message", text
        return ("done" if found.group(1) == "success" else "refused"), text

    def goal_path(self, code: str, number: str) -> str:
        return f"/assessments/{code}/{YEAR}/goals/{number}/"


class MixAnalyst(Writer, Analyst):
    role = "analyst"

    @task
    def save_and_submit(self):
        """Reopen or revise a goal of my jurisdiction, save it, and send it for review."""
        path = self.goal_path(WORK[self.username], random.choice(GOALS))
        page = self.client.get(path, name="editor (own jurisdiction)")
        fields = form_fields(page.text, lambda attrs: attrs.get("id") == "determination-form")
        if fields is None:  # waiting for review: not mine to change now
            _outcomes["save: not offered (submitted)"] += 1
            return
        narrative = MARK.sub("", fields.get("narrative", ""))
        fields["narrative"] = f"{narrative}\n\nChecked again (bench {self.username})."
        fields["change_reason"] = CHANGE_REASON
        outcome, page = self.post_form("save", path, fields)
        submit = form_fields(page, action_ends("/submit/")) if outcome == "done" else None
        if submit is not None:
            self.post_form("submit", path + "submit/", submit)


class MixReviewer(Writer, Reviewer):
    role = "reviewer"

    @task
    def review(self):
        """Open a goal from the queue; approve it, or now and then send it back."""
        queue = self.client.get(PAGES["review queue"], name="review queue")
        rows = QUEUE_ROW.findall(queue.text or "")
        if not rows:
            _outcomes["review: queue empty"] += 1
            return
        number, code = random.choice(rows)
        path = self.goal_path(code, number)
        page = self.client.get(path, name="goal page (review)")
        approve = form_fields(page.text, action_ends("/approve/"))
        ask = form_fields(page.text, action_ends("/request-changes/"))
        if ask is not None and (approve is None or random.random() < REQUEST_CHANGES_SHARE):
            ask["comment"] = f"Please cite the subsection ({self.username})."
            self.post_form("request changes", path + "request-changes/", ask)
        elif approve is not None:
            self.post_form("approve", path + "approve/", approve)
        else:  # another reviewer was quicker
            _outcomes["review: not offered (no longer submitted)"] += 1


@events.request.add_listener
def _record_login(name, response_time, exception, **kwargs):
    if name in (LOGIN_FORM, LOGIN):
        _logins.append({"name": name, "ms": response_time, "failed": exception is not None})


@events.quitting.add_listener
def _write_logins(environment, **kwargs):
    if os.environ.get("BENCH_LOGINS"):
        with open(os.environ["BENCH_LOGINS"], "w") as handle:
            json.dump(_logins, handle)
    if os.environ.get("BENCH_OUTCOMES"):
        with open(os.environ["BENCH_OUTCOMES"], "w") as handle:
            json.dump(dict(_outcomes), handle)
