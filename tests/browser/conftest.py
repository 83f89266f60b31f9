"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: the launch arguments point at /usr/bin/chromium (installed
by .ci/run with apt-get). The live server reads the database from its own thread, so
each test builds its small world on the transactional database (committed, and emptied
again after the test)."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, small_world

# Playwright's sync API runs an event loop in this thread; the ORM calls our fixtures make
# from it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed (apt-get install -y chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def world(transactional_db):
    """The small world, committed so that the live server sees it."""
    return small_world()


@pytest.fixture
def log_in(page: Page, live_server, world):
    """Log in on the login page as a person would, typing the small world's password."""

    def log_in(username: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="My work")).to_be_visible()

    return log_in


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go for a person to look at (set SCREENSHOTS_DIR to keep them)."""
    return Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
