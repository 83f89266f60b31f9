"""The national table's provisional view in a real browser, at 1280 and 390 px: from the
official table, switch to the provisional view, read the banner and each row's pending
goals and change against the official figure, and switch back; nothing is saved.

Six jurisdictions, every goal approved (various statuses) and the cycle scored; then
Mississippi reopens goal 1.2 (fully met -> not met, a draft) and Alabama submits goal 2.1
(not met -> fully met): officially nothing moves, provisionally Alabama climbs and
Mississippi falls."""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import ScoreSnapshot
from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from tests.factories import save_as, small_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "national-provisional.png"
)
CODES = ("MS", "TN", "AL", "FL", "GA", "OH")
# Per jurisdiction, the approved status of goals 1.1, 1.2 and 2.1.
APPROVED = {
    "MS": ("fully_met", "fully_met", "partially_met"),
    "TN": ("fully_met", "fully_met", "fully_met"),
    "AL": ("fully_met", "partially_met", "not_met"),
    "FL": ("fully_met", "not_met", "partially_met"),
    "GA": ("partially_met", "not_met", "not_met"),
    "OH": ("not_met", "not_met", "not_met"),
}


@pytest.fixture
def world(transactional_db):
    """Six jurisdictions instead of the small world's two (log_in uses this one)."""
    return small_world(codes=CODES)


@pytest.fixture
def pending(world):
    for code, statuses in APPROVED.items():
        for goal, status in zip(("1.1", "1.2", "2.1"), statuses, strict=True):
            points = Decimal("1.25") if status == Status.PARTIALLY_MET else None
            world.approve(code, goal, status, points)
    cycle_recompute(cycle_id=world.cycle.id)
    analyst = world.users["analyst"]
    save_as(
        analyst,
        world.determination("MS", "1.2"),
        reason="The amendment was repealed",
        status=Status.NOT_MET,
        points=None,
    )
    draft = save_as(
        analyst,
        world.determination("AL", "2.1"),
        reason="Safe Harbor law enacted",
        status=Status.FULLY_MET,
        points=None,
    )
    services.determination_submit(
        determination_id=draft.pk, user=analyst, expected_version=draft.version
    )
    return world


def cells(page: Page, code: str):
    return page.locator(f'tr[data-code="{code}"] td')


@pytest.mark.parametrize("width", [1280, 390])
def test_the_provisional_view_shows_pending_drafts_beside_the_official_figures(
    page: Page, live_server, log_in, pending, width, tmp_path
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in("analyst")
    page.goto(f"{live_server.url}/national/")
    expect(page.locator("#provisional-banner")).to_have_count(0)
    expect(cells(page, "MS").nth(2)).to_have_text("6.25")

    page.get_by_role("link", name="Provisional (pending drafts counted)").click()
    banner = page.locator("#provisional-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(
        "Provisional: includes 2 unapproved changes, not for publication."
    )
    expect(cells(page, "AL").nth(0)).to_have_text("2nd official 3rd (tie)")
    expect(cells(page, "AL").nth(3)).to_contain_text("+2.5")
    expect(cells(page, "AL").nth(6)).to_have_text("1")
    expect(cells(page, "MS").nth(0)).to_have_text("3rd (tie) official 2nd")
    expect(cells(page, "MS").nth(2)).to_have_text("3.75")
    expect(cells(page, "MS").nth(3)).to_contain_text("-2.5")
    expect(cells(page, "TN").nth(3)).to_have_text("0")
    # The page itself never scrolls sideways; at 390 px the table scrolls in its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The desktop view is the documentation's screenshot; the phone's stays with the test.
    phone = tmp_path / f"national-provisional-{width}.png"
    page.screenshot(path=str(SCREENSHOT if width == 1280 else phone), full_page=True)

    page.get_by_role("link", name="Official (approved versions)").click()
    expect(page.locator("#provisional-banner")).to_have_count(0)
    expect(cells(page, "MS").nth(0)).to_have_text("2nd")
    assert ScoreSnapshot.objects.get(jurisdiction__code="MS").total == Decimal("6.25")
