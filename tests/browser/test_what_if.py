"""The what-if page in a real browser: from the overview, change a goal and enact a
recommendation, see the new scores at once, share the URL; nothing is saved."""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assessments.models import GoalDetermination
from assessments.recompute import cycle_recompute
from assessments.scoring import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "what-if.png"


@pytest.fixture
def approved(world):
    world.approve("MS", "1.1", Status.NOT_MET)
    world.approve("MS", "1.2", Status.PARTIALLY_MET, Decimal("1"))
    world.approve("TN", "1.1")
    world.determination("MS", "2.1").recommendations.create(
        text="Enact a Safe Harbor law for minors."
    )
    cycle_recompute(cycle_id=world.cycle.id)
    return world


def test_an_analyst_tries_a_scenario(page: Page, live_server, log_in, approved):
    log_in("analyst")
    page.goto(f"{live_server.url}/assessments/MS/2023/")
    page.get_by_role("link", name="What if…").click()
    expect(page.locator("#what-if-total")).to_have_text("1 F")

    page.get_by_label("Status of goal 1.1").select_option("fully_met")
    page.get_by_label("Points for goal 1.2 (partially met)").fill("2.25")
    page.get_by_label("2.1.1 Enact a Safe Harbor law").check()
    page.get_by_role("button", name="Show scores").click()

    expect(page.locator("#what-if-total")).to_have_text("7.25 A")
    expect(page.locator("#what-if-standing")).to_contain_text("Ranked 1 · Tier 1")
    expect(page.locator("#what-if-result h2")).to_have_text("If 1.1, 1.2, 2.1.1 changed")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    shared = page.url
    page.goto(f"{live_server.url}/assessments/MS/2023/")
    page.goto(shared)  # the scenario travels in its URL
    expect(page.locator("#what-if-total")).to_have_text("7.25 A")

    page.get_by_label("Points for goal 1.2 (partially met)").fill("3")
    page.get_by_role("button", name="Show scores").click()
    expect(page.locator("#what-if-problems")).to_contain_text("less than 2.5 points")
    expect(page.get_by_label("Points for goal 1.2 (partially met)")).to_have_value("3")

    assert (
        GoalDetermination.objects.get(
            assessment__jurisdiction__code="MS", goal__number="1.1"
        ).approved.status
        == Status.NOT_MET
    )
