"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: the launch arguments point at /usr/bin/chromium (installed
by .ci/run with apt-get). The live server needs committed data, so these tests use the
transactional database and reload the sample data when an earlier test flushed it.
"""

import os
import shutil

import pytest

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
def demo_password(sample_data):
    from django.contrib.auth import get_user_model

    password = "browser-test-password"
    for user in get_user_model().objects.filter(
        username__in=["analyst", "reviewer", "publisher", "admin"]
    ):
        user.set_password(password)
        user.save()
    return password
