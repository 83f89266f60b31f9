"""Edit conflicts resolve in a real browser: two people (two browser contexts, so two
sessions) open the same page; A saves, B saves and is shown theirs next to mine; B merges
and saves again, and it is saved, with nothing either of them typed lost.

Both the goal editor and the statute library's edit page.
"""

import re

import pytest
from playwright.sync_api import Browser, expect

from accounts.roles import Role
from assessments.models import GoalDetermination
from statutes.models import Statute
from tests.factories import PASSWORD, StatuteFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_analysts(browser: Browser, live_server, world):
    """Pages of two analysts, each logged in in a browser context of their own."""
    UserFactory(username="analyst2", roles=[Role.ANALYST])
    contexts, pages = [], []
    for username in ("analyst", "analyst2"):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="My work")).to_be_visible()
        contexts.append(context)
        pages.append(page)
    yield pages
    for context in contexts:
        context.close()


def test_it_resolves_a_conflict_in_the_goal_editor(live_server, world, two_analysts):
    a, b = two_analysts
    goal_url = f"{live_server.url}/assessments/MS/2023/goals/1.1/"
    for page in (a, b):
        page.goto(goal_url)
        expect(page.get_by_role("heading", name="Policy Goal 1.1")).to_be_visible()

    a.get_by_label("Narrative").fill("A found the statute.")
    a.get_by_role("button", name=re.compile(r"^Save \(Alt")).click()
    expect(a.get_by_text("Saved goal 1.1.")).to_be_visible()

    b.get_by_label("Narrative").fill("B read the case law.")
    b.get_by_role("button", name=re.compile(r"^Save \(Alt")).click()
    conflict = b.locator("#conflict")
    expect(conflict).to_contain_text("Someone else saved this goal while you were editing.")
    expect(conflict.locator(".narrative")).to_have_text("A found the statute.")  # theirs
    expect(b.get_by_label("Narrative")).to_have_value("B read the case law.")  # mine, kept

    b.get_by_label("Narrative").fill("A found the statute. B read the case law.")
    b.get_by_role("button", name=re.compile(r"^Save \(Alt")).click()
    expect(b.get_by_text("Saved goal 1.1.")).to_be_visible()
    expect(b.locator("#conflict")).to_have_count(0)
    goal = GoalDetermination.objects.get(pk=world.determinations["MS", "1.1"].pk)
    assert goal.narrative == "A found the statute. B read the case law."
    history = goal.history.order_by("history_date").values_list("narrative", "history_user")
    assert [n for n, _ in history][-2:] == [
        "A found the statute.",
        "A found the statute. B read the case law.",
    ]


def test_it_resolves_a_conflict_in_the_statute_library(live_server, world, two_analysts):
    statute = StatuteFactory(
        jurisdiction=world.jurisdictions["MS"], caption="Human trafficking", text="Old text."
    )
    a, b = two_analysts
    edit_url = f"{live_server.url}/statutes/MS/{statute.pk}/edit/"
    for page in (a, b):
        page.goto(edit_url)
        expect(page.get_by_role("heading", name=f"Edit {statute.citation}")).to_be_visible()

    a.get_by_label("Text").fill("Amended text.")
    a.get_by_label("Change reason").fill("HB 1 (2023)")
    a.get_by_role("button", name="Save changes").click()
    expect(a.get_by_text(f"Saved {statute.citation}.")).to_be_visible()

    b.get_by_label("Caption").fill("Human trafficking; penalties")
    b.get_by_label("Change reason").fill("Official caption")
    b.get_by_role("button", name="Save changes").click()
    expect(b.locator("#conflict")).to_contain_text("Someone else saved this statute")
    comparison = b.locator("#comparison")
    expect(comparison.locator("td.theirs").filter(has_text="Amended text.")).to_have_count(1)
    expect(b.get_by_label("Caption")).to_have_value("Human trafficking; penalties")  # kept

    # Merge: keep their text with my caption, and save again.
    b.get_by_label("Text").fill("Amended text.")
    b.get_by_role("button", name="Save changes").click()
    expect(b.get_by_text(f"Saved {statute.citation}.")).to_be_visible()
    statute = Statute.objects.get(pk=statute.pk)
    assert (statute.caption, statute.text) == ("Human trafficking; penalties", "Amended text.")
