"""The full review path in a real browser: edit → submit → request changes → fix → approve.

Mississippi's goal 1.2 starts as an earlier review left it: partially met at 2 points,
approved (through the services), with a statute in the library waiting to be cited.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from assessments import services
from assessments.scoring import Status
from assessments.services import DeterminationData
from tests.browser.steps import log_out
from tests.factories import StatuteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRANSFER_STATUTE = "Miss. Code Ann. § 43-21-157"


@pytest.fixture
def approved_goal(world):
    goal = world.determination("MS", "1.2")
    goal = services.determination_save(
        determination_id=goal.pk,
        user=world.users["analyst"],
        expected_version=goal.version,
        data=DeterminationData(
            status=Status.PARTIALLY_MET, points=Decimal("2"), narrative="State law partly."
        ),
    )
    services.determination_submit(
        determination_id=goal.pk, user=world.users["analyst"], expected_version=goal.version
    )
    services.determination_approve(
        determination_id=goal.pk, user=world.users["reviewer"], expected_version=goal.version
    )
    StatuteFactory(jurisdiction=world.jurisdictions["MS"], citation=TRANSFER_STATUTE)
    return goal


def test_it_takes_a_goal_from_edit_to_approval(page: Page, live_server, log_in, approved_goal):
    base = live_server.url
    goal_url = f"{base}/assessments/MS/2023/goals/1.2/"

    log_in("analyst")
    page.get_by_role("link", name="National table", exact=True).click()
    page.get_by_role("link", name=approved_goal.assessment.jurisdiction.name).click()
    page.get_by_role("link", name="1.2", exact=True).click()
    expect(page.get_by_role("heading", name="Policy Goal 1.2")).to_be_visible()

    page.get_by_label("Points (partial credit only)").fill("2.25")
    page.get_by_role("button", name="+ Add citation").click()
    citation = page.locator("[data-forms=citations] [data-row]").last
    citation.get_by_label("Statute", exact=True).select_option(label=TRANSFER_STATUTE)
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
    page.get_by_role("button", name=re.compile(r"^Save \(Alt")).click()
    expect(page.get_by_text("Saved goal 1.2.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Submit version \\d+ for review")).click()
    expect(page.get_by_text("Goal 1.2 was submitted for review.")).to_be_visible()
    log_out(page)

    log_in("reviewer")
    page.get_by_role("link", name="Review queue").click()
    row = page.locator('tr[data-goal="1.2"][data-code="MS"]')
    expect(row).to_contain_text("2.25")
    row.get_by_role("link", name="Review").click()
    expect(page.locator("#diff-since-approval")).to_contain_text("2.25")
    page.get_by_label("What needs to change?").fill("Quote subsection (8) exactly.")
    page.get_by_role("button", name="Request changes", exact=True).click()
    expect(page.get_by_text("Goal 1.2 was sent back to the analyst.")).to_be_visible()
    log_out(page)

    log_in("analyst")
    page.goto(goal_url)
    expect(page.get_by_text("Quote subsection (8) exactly.")).to_be_visible()
    citation = page.locator("[data-forms=citations] [data-row]").last
    citation.get_by_label("Quoted excerpt").fill("The court shall consider the child's history.")
    page.get_by_role("button", name=re.compile(r"^Save \(Alt")).click()
    expect(page.get_by_text("Saved goal 1.2.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Submit version \\d+ for review")).click()
    log_out(page)

    log_in("reviewer")
    page.goto(goal_url)
    page.get_by_role("button", name=re.compile("Approve version")).click()
    expect(page.get_by_text("approved; scores will update")).to_be_visible()

    page.goto(f"{base}/national/")
    expect(page.locator('tr[data-code="MS"]')).to_contain_text("2.25")
    page.goto(f"{goal_url}history/")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("approved (version")
    expect(timeline).to_contain_text("requested changes (version")
    expect(timeline).to_contain_text("Reason: Add the transfer statute")
    expect(timeline).to_contain_text("Quote subsection (8) exactly.")
    expect(timeline).to_contain_text("citation created")


def test_it_shows_reviewers_a_goal_without_the_editor(page: Page, live_server, log_in):
    log_in("reviewer")
    page.goto(f"{live_server.url}/assessments/MS/2023/goals/1.1/")
    expect(page.get_by_role("heading", name="Policy Goal 1.1")).to_be_visible()
    expect(page.locator("#determination-form")).to_have_count(0)


def test_it_refuses_analysts_the_review_queue(page: Page, live_server, log_in):
    log_in("analyst")
    response = page.goto(f"{live_server.url}/assessments/review/")
    assert response.status == 403


def test_it_keeps_the_save_bar_small_on_a_phone(page: Page, live_server, log_in):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("analyst")
    page.goto(f"{live_server.url}/assessments/MS/2023/goals/1.1/")
    bar = page.locator(".save-bar").bounding_box()
    assert bar["height"] <= 0.15 * 844  # the narrative keeps most of the screen
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
