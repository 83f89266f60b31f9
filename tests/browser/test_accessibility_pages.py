"""axe-core on the app's main pages, as the people who use them see them: zero WCAG 2.x
A/AA violations on My work, the national table, the assessment overview, the goal editor,
the review queue and the dashboard."""

import pytest
from playwright.sync_api import Page

from assessments import services
from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from tests.browser.axe import assert_accessible
from tests.factories import reviewed_goal, save_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    """axe is injected as an inline script, which the app's Content-Security-Policy refuses
    (as it should); the browser of these tests alone lets it run."""
    return {**browser_context_args, "bypass_csp": True}


PAGES = [
    ("analyst", "/", "My work"),
    ("analyst", "/national/", "the national table"),
    ("analyst", "/assessments/MS/2023/", "the assessment overview"),
    ("analyst", "/assessments/MS/2023/goals/1.1/", "the goal editor"),
    ("reviewer", "/assessments/review/", "the review queue"),
    ("analyst", "/dashboard/2023/", "the dashboard"),
]


@pytest.fixture
def goals_in_every_state(world):
    """Goal 1.2 partially met and approved, then edited to fully met and submitted (the
    review queue shows its changes); 1.1 approved; 2.1 a draft; scores computed. Every
    status, review state and grade colour of the pages is on screen."""
    world.approve("MS", "1.1")
    approved = reviewed_goal(world, "MS", "1.2")
    edited = save_as(
        world.users["analyst"],
        approved,
        reason="The 2023 amendment",
        status=Status.FULLY_MET,
        points=None,
        narrative="Amended in 2023.",
    )
    services.determination_submit(
        determination_id=edited.pk, user=world.users["analyst"], expected_version=edited.version
    )
    cycle_recompute(cycle_id=world.cycle.id)


@pytest.mark.parametrize(("username", "path", "what"), PAGES, ids=[p[1] for p in PAGES])
@pytest.mark.usefixtures("goals_in_every_state")
def test_the_page_has_no_accessibility_violations(
    page: Page, live_server, log_in, username, path, what
):
    log_in(username)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    assert_accessible(page, what)
