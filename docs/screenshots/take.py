"""Regenerate the README screenshots against a running `make run` server.

    .venv/bin/python docs/screenshots/take.py [http://127.0.0.1:8000]

Uses Debian's Chromium (no browser download) and the demo users' password.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
PASSWORD = "report-cards-demo"  # noqa: S105 - the documented demo password
OUT = Path(__file__).resolve().parent


def log_in(page, username):
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def shot(page, name, full_page=False):
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)


def main():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        log_in(page, "analyst")
        page.goto(f"{BASE}/national/")
        shot(page, "national-table")
        page.goto(f"{BASE}/assessments/MS/2023/")
        shot(page, "overview")
        page.goto(f"{BASE}/assessments/MS/2023/goals/3.3/")
        page.fill("#id_change_reason", "Quote the 2023 amendment")
        page.fill(
            "#id_narrative",
            page.input_value("#id_narrative") + "\n\nThe 2023 session "
            "added a second, narrower exception.",
        )
        quote = page.input_value("#id_citations-0-quote")
        page.fill("#id_citations-0-quote", quote.replace(" ", " (as amended) ", 1))
        page.click("button[type=submit][accesskey=s]")
        page.click("text=for review")
        shot(page, "editor", full_page=True)
        page.context.clear_cookies()
        log_in(page, "reviewer")
        page.goto(f"{BASE}/assessments/review/")
        shot(page, "review-queue")
        page.goto(f"{BASE}/assessments/MS/2023/goals/3.3/")
        shot(page, "review", full_page=True)  # the changes since the approved version, in words
        page.click("text=Approve version")
        page.goto(f"{BASE}/assessments/MS/2023/goals/3.3/history/")
        shot(page, "history")
        page.goto(f"{BASE}/statutes/MS/")
        shot(page, "statutes")
        page.goto(f"{BASE}/dashboard/2023/")
        shot(page, "dashboard", full_page=True)
        page.context.clear_cookies()
        log_in(page, "publisher")
        page.goto(f"{BASE}/report-cards/MS/2023/")
        page.wait_for_timeout(3000)  # the approval's recompute (eager under make run)
        page.reload()
        shot(page, "report-card", full_page=True)  # the publish gate and its warnings
        board(page)
        browser.close()


def board(page):
    """The cycle board at a desktop's and a phone's width (the demo has no assignments:
    assign some on the Assignments page first for the assignee columns), one goal across
    the country and a search."""
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{BASE}/assessments/cycle/2023/board/")
    shot(page, "board", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "board-390")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{BASE}/assessments/goal/2023/2.9/?status=partially_met")
    shot(page, "goal-across")
    page.goto(f"{BASE}/assessments/search/?q=trafficking+minor&year=2023")
    shot(page, "search")


if __name__ == "__main__":
    main()
