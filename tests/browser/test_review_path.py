"""The full review path in a real browser: edit → submit → request changes → fix → approve."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str, password: str):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("national table"))).to_be_visible()


def log_out(page: Page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_it_takes_goal_29_from_edit_to_approval(page: Page, live_server, demo_password):
    base = live_server.url
    goal_url = f"{base}/assessments/MS/2023/goals/2.9/"

    log_in(page, base, "analyst", demo_password)
    page.get_by_role("link", name="Mississippi").click()
    page.get_by_role("link", name="2.9", exact=True).click()
    expect(page.get_by_role("heading", name="Policy Goal 2.9")).to_be_visible()

    page.get_by_label("Points (partial credit only)").fill("2.25")
    page.get_by_role("button", name="+ Add citation").click()
    citation = page.locator("[data-forms=citations] [data-row]").last
    citation.get_by_label("Statute", exact=True).select_option(label="Miss. Code Ann. § 43-21-157")
    citation.get_by_label("Pinpoint").fill("(8)")
    citation.get_by_label("Quoted excerpt").fill("A transfer hearing shall consider the child.")
    page.get_by_role("button", name="+ Add recommendation").click()
    page.locator("[data-forms=recommendations] textarea").last.fill(
        "Require courts to consider past trafficking victimization in transfer decisions."
    )
    page.get_by_label("Narrative").fill(
        page.get_by_label("Narrative").input_value() + "\n\n**New**"
    )
    expect(page.locator("#preview strong", has_text="New")).to_be_visible()
    page.get_by_label("Change reason").fill("Add the transfer statute")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_text("Saved goal 2.9.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Submit version \\d+ for review")).click()
    expect(page.get_by_text("Goal 2.9 was submitted for review.")).to_be_visible()
    log_out(page)

    log_in(page, base, "reviewer", demo_password)
    page.get_by_role("link", name="Review queue").click()
    row = page.locator('tr[data-goal="2.9"][data-code="MS"]')
    expect(row).to_contain_text("2.25")
    row.get_by_role("link", name="Review").click()
    expect(page.locator("#diff-since-approval")).to_contain_text("2.25")
    page.get_by_label("What needs to change?").fill("Quote subsection (8) exactly.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("Goal 2.9 was sent back to the analyst.")).to_be_visible()
    log_out(page)

    log_in(page, base, "analyst", demo_password)
    page.goto(goal_url)
    expect(page.get_by_text("Quote subsection (8) exactly.")).to_be_visible()
    citation = page.locator("[data-forms=citations] [data-row]").last
    citation.get_by_label("Quoted excerpt").fill("The court shall consider the child's history.")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_text("Saved goal 2.9.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Submit version \\d+ for review")).click()
    log_out(page)

    log_in(page, base, "reviewer", demo_password)
    page.goto(goal_url)
    page.get_by_role("button", name=re.compile("Approve version")).click()
    expect(page.get_by_text("approved; scores will update")).to_be_visible()

    page.goto(f"{base}/")
    expect(page.locator('tr[data-code="MS"]')).to_contain_text("68.75")
    page.goto(f"{goal_url}history/")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("approved (version")
    expect(timeline).to_contain_text("requested changes (version")
    expect(timeline).to_contain_text("Reason: Add the transfer statute")
    expect(timeline).to_contain_text("Quote subsection (8) exactly.")
    expect(timeline).to_contain_text("citation created")


def test_it_refuses_a_reviewer_editing_and_an_analyst_reviewing(
    page: Page, live_server, demo_password
):
    base = live_server.url
    log_in(page, base, "reviewer", demo_password)
    page.goto(f"{base}/assessments/MS/2023/goals/1.1/")
    expect(page.locator("#determination-form")).to_have_count(0)
    response = page.request.get(f"{base}/statutes/MS/new/")
    assert response.status == 403
    log_out(page)
    log_in(page, base, "analyst", demo_password)
    response = page.goto(f"{base}/assessments/review/")
    assert response.status == 403
