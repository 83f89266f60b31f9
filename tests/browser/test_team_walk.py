"""Issue 14's "Done when" walk as one story in a real browser, on a small world of three
jurisdictions: the admin assigns all three in bulk on the cycle's assignments page, the
analyst finds them in their inbox and submits a goal, the reviewer is told under the bell
and by e-mail, sends it back with an @mention of the analyst, the analyst reads the comment
in the inbox and answers in the goal's thread, submits again, the reviewer approves and
lands on the next goal waiting, and the publisher finds the jurisdiction ready to publish.

Before the walk, the rest of State TN is approved (goals 1.2 and 2.1, and its state
texts), so approving goal 1.1 completes it; State MS's goal 1.2 waits for review, so
"approve and next" has somewhere to land."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from assessments import services
from tests.browser.steps import assign_in_bulk, expect_only_ready, log_out, reply_in_open_thread
from tests.factories import save_as, small_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODES = ("MS", "TN", "AL")


@pytest.fixture
def world(transactional_db):
    """Three jurisdictions; TN complete but for goal 1.1; MS 1.2 submitted by the analyst."""
    world = small_world(codes=CODES)
    world.approve("TN", "1.2")
    world.approve("TN", "2.1")
    world.approve_texts("TN")
    analyst = world.users["analyst"]
    saved = save_as(
        analyst, world.determination("MS", "1.2"), reason="First look", narrative="Not yet."
    )
    services.determination_submit(
        determination_id=saved.pk, user=analyst, expected_version=saved.version
    )
    return world


def write_and_submit(page: Page, narrative: str):
    """Type the narrative, wait for its live preview (so no preview request races the
    save), then save and submit in one step."""
    page.get_by_label("Narrative").fill(narrative)
    expect(page.locator("#preview em", has_text="without")).to_be_visible()
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("Saved and submitted goal 1.1 for review.")).to_be_visible()


def analyst_edits_and_submits(page: Page):
    drafts = page.locator("#my-drafts")
    for code in CODES:
        expect(drafts.locator(f"li[data-goal^='{code} ']").first).to_be_visible()
    drafts.get_by_role("link", name="State TN · goal 1.1").click()
    page.get_by_label("Fully met").check()
    write_and_submit(page, "Trafficking a minor is a crime *without* proof of force.")


def reviewer_is_told(page: Page):
    expect(page.locator("#nav-bell .badge")).to_contain_text("1")
    to_reviewer = [m for m in mail.outbox if m.to == ["reviewer@example.org"]]
    assert [m.subject for m in to_reviewer] == ["[Report Cards] Submitted for your review"]
    assert "/assessments/TN/2023/goals/1.1/" in to_reviewer[0].body


def reviewer_sends_it_back(page: Page):
    page.locator("#review-assigned").get_by_role("link", name="State TN · goal 1.1").click()
    page.get_by_label("Start a thread").fill("@analyst: which statute says force is not needed?")
    page.get_by_role("button", name="Start thread").click()
    expect(page.get_by_text("Thread started.")).to_be_visible()
    page.get_by_label("What needs to change?").fill("@analyst Cite the statute; see the thread.")
    page.get_by_role("button", name="Request changes", exact=True).click()
    expect(page.get_by_text("Goal 1.1 was sent back to the analyst.")).to_be_visible()


def analyst_answers_in_the_thread(page: Page):
    sent_back = page.locator("#changes-requested li")
    expect(sent_back).to_have_count(1)
    expect(sent_back).to_contain_text("reviewer asked: @analyst Cite the statute; see the thread.")
    expect(page.locator("#nav-bell .badge")).to_be_visible()
    sent_back.get_by_role("link", name="State TN · goal 1.1").click()
    reply_in_open_thread(
        page, "which statute says force is not needed?", "TN Code Ann. § 39-13-309(a), cited now."
    )
    write_and_submit(page, "A minor is trafficked *without* proof of force (§ 39-13-309).")


def reviewer_approves_and_moves_on(page: Page):
    page.locator("#review-assigned").get_by_role("link", name="State TN · goal 1.1").click()
    expect(page.locator("#discussion li[data-comment]")).to_have_count(2)
    page.get_by_role("button", name="Approve and next").click()
    expect(page.get_by_text("Goal 1.1 approved;")).to_be_visible()
    expect(page.get_by_text("Next: goal 1.2 of State MS 2023.")).to_be_visible()
    assert page.url.endswith("/assessments/MS/2023/goals/1.2/")


def test_a_cycle_is_worked_as_a_team(page: Page, live_server, log_in, world):
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in("admin")
    assign_in_bulk(page, CODES)
    log_out(page)

    log_in("analyst")
    analyst_edits_and_submits(page)
    log_out(page)

    log_in("reviewer")
    reviewer_is_told(page)
    reviewer_sends_it_back(page)
    log_out(page)

    log_in("analyst")
    analyst_answers_in_the_thread(page)
    log_out(page)

    log_in("reviewer")
    reviewer_approves_and_moves_on(page)
    log_out(page)

    log_in("publisher")
    expect_only_ready(page, "State TN")
