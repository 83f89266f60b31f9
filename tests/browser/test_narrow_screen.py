"""The overview and the goal editor on a 390 px wide phone (issue 14): no column squeezed
to a letter per line, a save bar that leaves the text most of the screen, and status radios
used by keyboard that never lose the typed points. Boxes are measured, not guessed."""

import pytest
from playwright.sync_api import Page, expect

from assessments.recompute import cycle_recompute
from tests.factories import release_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page: Page, log_in):
    page.set_viewport_size(PHONE)
    log_in("analyst")
    return page


def boxes(page: Page, selector: str) -> list[dict]:
    return [box for box in (e.bounding_box() for e in page.locator(selector).all()) if box]


def test_the_overview_keeps_readable_columns_at_390_px(phone: Page, live_server, world, shots):
    phone.goto(f"{live_server.url}/assessments/MS/2023/")
    phone.screenshot(path=str(shots / "overview-390.png"), full_page=True)
    first_goal = phone.locator(".table-goals tbody tr").first
    cells = [cell.bounding_box() for cell in first_goal.locator("td").all()]
    assert len(cells) == 6, "every column of a goal is shown"
    # A column a letter wide would be a few pixels: every cell keeps its words whole.
    assert min(box["width"] for box in cells) >= 30
    goal_text = cells[1]
    assert goal_text["width"] >= 250  # the goal's text reads as lines, not letters
    clipped = first_goal.locator("td").evaluate_all(
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)"
    )
    assert clipped == []  # "Not met" whole, not cut to "Not"
    row = first_goal.bounding_box()
    assert row["height"] <= 150
    # Nothing pushes the page sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_editor_save_bar_takes_at_most_15_percent_of_the_screen(
    phone: Page, live_server, world, shots
):
    phone.goto(f"{live_server.url}/assessments/MS/2023/goals/1.2/")
    expect(phone.get_by_role("heading", name="Policy Goal 1.2")).to_be_visible()
    phone.screenshot(path=str(shots / "editor-390.png"))
    bar = phone.locator(".save-bar").bounding_box()
    reason = phone.get_by_label("Change reason").bounding_box()
    assert reason["width"] >= 100  # room to type a few words
    assert bar["height"] <= 0.15 * PHONE["height"]
    assert bar["y"] + bar["height"] <= PHONE["height"] + 1  # stuck to the bottom, in view
    for name in ("Save", "Save and submit"):
        button = phone.get_by_role("button", name=name, exact=True).bounding_box()
        assert button["height"] <= 45  # one line
        assert button["x"] >= 0 and button["x"] + button["width"] <= PHONE["width"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_arrow_keys_over_the_status_radios_keep_the_typed_points(phone: Page, live_server, world):
    phone.goto(f"{live_server.url}/assessments/MS/2023/goals/1.2/")
    partial = phone.get_by_label("Partially met")
    partial.check()
    points = phone.get_by_label("Points (partial credit only)")
    points.fill("1.25")
    partial.focus()
    for key in ("ArrowDown", "ArrowDown", "ArrowUp", "ArrowUp", "ArrowUp", "ArrowDown"):
        phone.keyboard.press(key)
    expect(partial).to_be_checked()
    expect(points).to_be_enabled()
    expect(points).to_have_value("1.25")
    phone.keyboard.press("ArrowUp")  # on to another status: no points field to fill
    expect(points).to_be_disabled()
    phone.keyboard.press("ArrowDown")
    expect(points).to_have_value("1.25")


# Every page a staff member opens, with tables that have rows: wide tables scroll inside their
# own box, never the whole page (a visually-hidden label inside one once pushed the board
# 700 px sideways).
EVERY_PAGE = [
    "/",
    "/national/",
    "/notifications/",
    "/assessments/cycle/2023/",
    "/assessments/cycle/2023/board/",
    "/assessments/cycle/2023/assignments/",
    "/assessments/goal/2023/1.1/",
    "/assessments/search/?q=goal&year=2023",
    "/assessments/review/",
    "/assessments/MS/2023/",
    "/assessments/MS/2023/texts/",
    "/assessments/MS/2023/history/",
    "/assessments/MS/2023/what-if/",
    "/assessments/MS/2023/goals/1.1/",
    "/assessments/MS/2023/goals/1.1/history/",
    "/dashboard/2023/",
    "/dashboard/2023/MS/",
    "/statutes/MS/",
    "/report-cards/MS/2023/",
    "/report-cards/MS/2023/v1.html",
    "/cycles/2023/release/",
    "/cycles/2023/changelog/",
    "/cycles/2023/survey/",
    "/cycles/2023/survey/1.1/",
    "/exports/2023/",
    "/api/v1/docs",
]


@pytest.fixture
def released(world):
    """Every goal of both jurisdictions approved and the cycle released: published versions,
    a release job and survey charts to list."""
    for code in ("MS", "TN"):
        world.approve_all(code)
    cycle_recompute(cycle_id=world.cycle.id)
    job = release_now(world.cycle, world.users["publisher"])
    assert job.state == "done", job.error
    return world


@pytest.mark.usefixtures("released")
def test_no_page_pushes_a_390_px_screen_sideways(page: Page, live_server, log_in):
    page.set_viewport_size(PHONE)
    log_in("admin")
    too_wide = {}
    for path in EVERY_PAGE:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert too_wide == {}
