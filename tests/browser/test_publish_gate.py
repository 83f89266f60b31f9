"""From an edit to a publication through the publish gate, in a real browser.

Mississippi starts approved and scored: every goal fully met, goal 1.2 citing one statute
with its quote in the narrative, the state texts approved. First walk: the analyst edits
the citation's quote and the narrative, the reviewer sees both changes and approves, the
publisher's gate lists nothing and the card is published. Second walk: a goal approved
before the reference checks still says [[quote 2]], and the analyst types a stale rank in a
highlight that a reviewer approves; the gate lists both as blockers and publishing is off.
"""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessments.models import GoalDetermination, ReviewEvent
from assessments.recompute import cycle_recompute
from tests.browser.steps import log_out
from tests.factories import CitationFactory, StatuteFactory, approve_as_they_are

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved_mississippi(world):
    world.approve_all("MS")
    goal = world.determination("MS", "1.2")
    # Law enacted before the cycle's cutoff, worded as the analyst's edit quotes it.
    law = StatuteFactory(
        jurisdiction=world.jurisdictions["MS"],
        enacted_date=datetime.date(2023, 5, 1),
        text="No person shall traffic or solicit a minor.",
    )
    CitationFactory(
        determination=goal, statute=law, position=1, quote="No person shall traffic a minor."
    )
    GoalDetermination.objects.filter(pk=goal.pk).update(
        narrative="State law covers it:\n\n[[quote 1]]"
    )
    goal = world.determination("MS", "1.2")
    approve_as_they_are([goal], user=world.users["reviewer"])
    # The approval event marks the approved version the review compares against.
    ReviewEvent.objects.create(
        determination=goal,
        version=goal.version,
        actor=world.users["reviewer"],
        action=ReviewEvent.Action.APPROVE,
    )
    cycle_recompute(cycle_id=world.cycle.id)
    return world


def edit_goal_1_2(page: Page, base: str, *, narrative: str, quote: str):
    page.goto(f"{base}/assessments/MS/2023/goals/1.2/")
    page.get_by_label("Narrative").fill(narrative)
    citation = page.locator("[data-forms=citations] [data-row]").first
    citation.get_by_label("Quoted excerpt").fill(quote)
    page.get_by_label("Change reason").fill("Quote the amended text")
    page.get_by_role("button", name=re.compile(r"^Save \(Alt")).click()
    expect(page.get_by_text("Saved goal 1.2.")).to_be_visible()


def test_an_edit_reviewed_and_approved_is_published_through_a_clear_gate(
    page: Page, live_server, log_in, approved_mississippi
):
    base = live_server.url
    log_in("analyst")
    edit_goal_1_2(
        page,
        base,
        narrative="State law, as amended in 2023, covers it:\n\n[[quote 1]]",
        quote="No person shall traffic or solicit a minor.",
    )
    page.get_by_role("button", name=re.compile("Submit version \\d+ for review")).click()
    expect(page.get_by_text("Goal 1.2 was submitted for review.")).to_be_visible()
    log_out(page)

    log_in("reviewer")
    page.get_by_role("link", name="Review queue").click()
    page.locator('tr[data-goal="1.2"][data-code="MS"]').get_by_role("link", name="Review").click()
    changes = page.locator("#diff-since-approval")
    # Each change named in words: the narrative, and which citation's quote.
    expect(changes).to_contain_text(re.compile(r"Narrative:.*as amended in 2023"))
    expect(changes).to_contain_text(re.compile(r"Citation 1 \(MS Code Ann\. § [\d-]+\) quote:"))
    expect(changes).to_contain_text("solicit")  # the citation's changed quote
    page.get_by_role("button", name=re.compile("Approve version")).click()
    expect(page.get_by_text("approved; scores will update")).to_be_visible()
    log_out(page)

    log_in("publisher")
    page.goto(base + reverse("report_card", args=["MS", 2023]))
    expect(page.locator("#gate-clear")).to_have_text(
        "The publish gate lists no blockers and no warnings."
    )
    page.get_by_label(re.compile("I have checked this report card")).check()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Published version 1").first).to_be_visible()


def test_a_dangling_reference_and_a_stale_rank_are_blockers(
    page: Page, live_server, log_in, approved_mississippi
):
    world = approved_mississippi
    # Approved before references were checked: the approval itself says [[quote 2]].
    goal = GoalDetermination.objects.filter(assessment__jurisdiction__code="MS", goal__number="2.1")
    goal.update(narrative="As quoted:\n\n[[quote 2]]")
    approve_as_they_are(goal, user=world.users["reviewer"])
    cycle_recompute(cycle_id=world.cycle.id)
    base = live_server.url

    log_in("analyst")
    page.goto(f"{base}/assessments/MS/2023/texts/")
    page.get_by_label("Highlights").fill("Currently ranked 10th in the nation.")
    page.get_by_label("Change reason").fill("New rank")
    page.get_by_role("button", name="Save texts").click()
    expect(page.get_by_text("Saved the state texts.")).to_be_visible()
    page.get_by_role("button", name="Submit texts for review").click()
    expect(page.get_by_text("The state texts were submitted for review.")).to_be_visible()
    log_out(page)

    log_in("reviewer")
    page.get_by_role("link", name="Review queue").click()
    page.locator("#texts-queue").get_by_role("link", name="Review texts").click()
    expect(page.locator("#texts-changes")).to_contain_text("Currently ranked 10th in the nation.")
    page.get_by_role("button", name=re.compile("Approve texts version")).click()
    expect(page.get_by_text("The state texts were approved.")).to_be_visible()
    log_out(page)

    log_in("publisher")
    page.goto(base + reverse("report_card", args=["MS", 2023]))
    blockers = page.locator("#gate-blockers li")
    expect(blockers).to_have_count(2)
    expect(blockers.nth(0)).to_contain_text("Goal 2.1 refers to quote 2")
    expect(blockers.nth(1)).to_contain_text("says “ranked 10th”, but the computed rank is 1st")
    expect(page.get_by_role("button", name="Publish version 1")).to_be_disabled()
