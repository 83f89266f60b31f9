"""A cycle worked as a team, through each role's "My work" inbox, in a real browser: the
admin assigns both jurisdictions in bulk, the analyst finds them and submits a goal, the
reviewer finds it assigned and sends it back with a comment, the analyst reads the comment
in the inbox, and the publisher finds Tennessee ready to publish. Screenshots of each inbox
at 1280 px and 390 px go to docs/screenshots/inbox-*.png."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.steps import assign_in_bulk, expect_only_ready, log_out
from tests.factories import ready_to_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"": 1280, "-390": 390}


def shoot(page: Page, name: str):
    """The inbox at each width, never wider than the screen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for suffix, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} is {overflow} px wide at {width} px"
        page.screenshot(path=str(SCREENSHOTS / f"inbox-{name}{suffix}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_team_works_through_their_inboxes(page: Page, live_server, log_in, world):
    ready_to_publish(world, "TN")
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in("admin")
    assign_in_bulk(page, ["MS", "TN"])
    log_out(page)

    log_in("analyst")
    drafts = page.locator("#my-drafts li")
    expect(drafts).to_have_count(3)  # Tennessee's goals are all approved
    expect(page.locator("#nav-my-work")).to_contain_text("3")
    shoot(page, "analyst")
    page.get_by_role("link", name="State MS · goal 1.1").click()
    page.get_by_role("button", name="Submit version 1 for review").click()
    expect(page.get_by_text("Goal 1.1 was submitted for review.")).to_be_visible()
    log_out(page)

    log_in("reviewer")
    assigned = page.locator("#review-assigned li")
    expect(assigned).to_have_count(1)
    shoot(page, "reviewer")
    assigned.get_by_role("link", name="State MS · goal 1.1").click()
    page.get_by_label("What needs to change?").fill("Cite the 2019 amendment.")
    page.get_by_role("button", name="Request changes", exact=True).click()
    expect(page.get_by_text("Goal 1.1 was sent back to the analyst.")).to_be_visible()
    page.get_by_role("link", name="My work").click()
    expect(page.locator("#review-assigned")).to_contain_text("Nothing assigned to you waits")
    log_out(page)

    log_in("analyst")
    sent_back = page.locator("#changes-requested li")
    expect(sent_back).to_have_count(1)
    expect(sent_back).to_contain_text("reviewer asked: Cite the 2019 amendment.")
    shoot(page, "analyst-changes")
    page.get_by_role("link", name="National table", exact=True).click()
    expect(page.get_by_role("heading", name="2023 report cards: national table")).to_be_visible()
    log_out(page)

    log_in("publisher")
    expect_only_ready(page, "State TN")
    shoot(page, "publisher")
