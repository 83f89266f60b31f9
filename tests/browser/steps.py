"""Steps the browser walks share: logging out, assigning jurisdictions in bulk on the
cycle's assignments page, and the publisher's "ready to publish" list."""

import datetime

from playwright.sync_api import Page, expect

DUE = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()


def log_out(page: Page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def assign_in_bulk(page: Page, codes, *, analyst="analyst", reviewer="reviewer", due=DUE):
    """From any page, as a publisher or admin: tick the jurisdictions `codes` on the latest
    cycle's assignments page and assign them together, due in two weeks."""
    page.get_by_role("link", name="Assignments", exact=True).click()
    for code in codes:
        page.get_by_label(f"State {code}").check()
    page.get_by_label("Analyst").select_option(analyst)
    page.get_by_label("Reviewer").select_option(reviewer)
    page.get_by_label("Due").fill(due)
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text(f"Assigned {len(codes)} jurisdiction(s)")).to_be_visible()
    expect(page.locator("table[aria-label=Assignments] tbody tr")).to_have_count(len(codes))


def expect_only_ready(page: Page, name: str):
    """The publisher's inbox lists `name`, and only it, as ready with its gate clear."""
    ready = page.locator("#ready-to-publish li")
    expect(ready).to_have_count(1)
    expect(ready).to_contain_text(name)
    expect(ready.locator(".gate")).to_contain_text("gate clear")


def reply_in_open_thread(page: Page, asked: str, answer: str):
    """On a goal page: answer the open thread that asked `asked`."""
    thread = page.locator("#discussion article[data-state=open]", has_text=asked)
    thread.get_by_label("Reply").fill(answer)
    thread.get_by_role("button", name="Reply").click()
    expect(page.get_by_text("Reply posted.")).to_be_visible()
