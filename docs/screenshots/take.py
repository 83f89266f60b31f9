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
        shot(page, "national-table")
        page.goto(f"{BASE}/assessments/MS/2023/")
        shot(page, "overview")
        page.goto(f"{BASE}/assessments/MS/2023/goals/2.9/")
        page.fill("#id_change_reason", "Add the transfer statute")
        page.fill("#id_points", "2.25")
        page.click("button[type=submit][accesskey=s]")
        page.click("text=for review")
        shot(page, "editor", full_page=True)
        page.goto(f"{BASE}/accounts/login/")
        page.context.clear_cookies()
        log_in(page, "reviewer")
        page.goto(f"{BASE}/assessments/review/")
        shot(page, "review-queue")
        page.goto(f"{BASE}/assessments/MS/2023/goals/2.9/")
        shot(page, "review")
        page.goto(f"{BASE}/assessments/MS/2023/goals/2.9/history/")
        shot(page, "history")
        page.goto(f"{BASE}/statutes/MS/")
        shot(page, "statutes")
        page.goto(f"{BASE}/dashboard/2023/")
        shot(page, "dashboard", full_page=True)
        page.context.clear_cookies()
        log_in(page, "publisher")
        page.goto(f"{BASE}/report-cards/MS/2023/")
        shot(page, "report-card")
        browser.close()


if __name__ == "__main__":
    main()
