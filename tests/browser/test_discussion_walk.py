"""A discussion on a goal in a real browser: the reviewer starts a thread mentioning the
analyst, the analyst finds it under the bell, follows the link and replies, the reviewer
resolves it. The goal page's discussion goes to docs/screenshots/thread.png, and fits a
390 px screen."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.steps import log_out, reply_in_open_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "thread.png"


def test_a_thread_is_started_answered_and_resolved(page: Page, live_server, log_in, world):
    page.set_viewport_size({"width": 1280, "height": 900})
    goal_url = f"{live_server.url}/assessments/MS/2023/goals/1.1/"

    log_in("reviewer")
    page.goto(goal_url)
    page.get_by_label("Start a thread").fill("@analyst: is the 2019 amendment cited?")
    page.get_by_role("button", name="Start thread").click()
    expect(page.get_by_text("Thread started.")).to_be_visible()
    expect(page.locator("#open-thread-count")).to_have_text("1 open")
    log_out(page)

    log_in("analyst")
    expect(page.locator("#nav-bell")).to_contain_text("1")
    page.locator("#nav-bell").click()
    page.get_by_role("link", name="reviewer mentioned you on Goal 1.1").click()
    reply_in_open_thread(
        page, "is the 2019 amendment cited?", "Yes: § 97-3-54.1(1)(c), added in 2019."
    )
    log_out(page)

    log_in("reviewer")
    page.goto(goal_url)
    thread = page.locator("#discussion article[data-state=open]")
    expect(thread.locator("li[data-comment]")).to_have_count(2)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.locator("#discussion").screenshot(path=str(SCREENSHOT))
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    thread.get_by_role("button", name="Resolve thread").click()
    expect(page.get_by_text("Thread resolved.")).to_be_visible()
    expect(page.locator("#no-open-threads")).to_be_visible()
