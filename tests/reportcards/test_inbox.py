"""The "My work" inbox, the home page of every role, on small worlds: what each role finds
there, in which order, the empty states, the count in the navigation bar, and a query
count that does not grow with the jurisdictions and goals of a cycle."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import GoalDetermination, ReviewState
from reportcards import inbox_views
from reportcards.models import PublishedReportCard
from tests.factories import assign, changes_requested, grow, ready_to_publish, save_as
from tests.pages import parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

TODAY = datetime.date.today()
PAST = (TODAY - datetime.timedelta(days=3)).isoformat()
FUTURE = (TODAY + datetime.timedelta(days=30)).isoformat()


def inbox(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("home"), query)
    assert response.status_code == 200
    return parsed(response)


def items(page, section) -> list[str]:
    return [li["data-goal"] for li in page.select(f"#{section} li[data-goal]")]


def submit(world, code, goal, user="analyst"):
    determination = world.determination(code, goal)
    return services.determination_submit(
        determination_id=determination.pk,
        user=world.users[user],
        expected_version=determination.version,
    )


def edit(world, code, goal, *, user, reason):
    """`user` saves a new version of the goal: not met, 0 points."""
    determination = world.determination(code, goal)
    save_as(world.users[user], determination, reason=reason, status="not_met", points=0)


def send_back(world, code, goal, comment):
    determination = submit(world, code, goal)
    services.determination_request_changes(
        determination_id=determination.pk,
        user=world.users["reviewer"],
        expected_version=determination.version,
        comment=comment,
    )


def test_the_analyst_finds_changes_requested_with_the_comment_then_drafts_overdue_first(
    client, world
):
    assign(world, ("MS", "analyst", "reviewer", FUTURE), ("TN", "analyst", "reviewer", PAST))
    send_back(world, "MS", "1.2", "Cite the 2019 amendment.")
    page = inbox(client, world.users["analyst"])
    assert items(page, "changes-requested") == ["MS 1.2"]
    comment = page.select_one("#changes-requested .inbox-comment")
    assert text(comment) == "reviewer asked: Cite the 2019 amendment."
    assert items(page, "my-drafts") == ["TN 1.1", "TN 1.2", "TN 2.1", "MS 1.1", "MS 2.1"]
    overdue = [
        li["data-goal"] for li in page.select("#my-drafts li") if li.select(".text-bg-danger")
    ]
    assert overdue == ["TN 1.1", "TN 1.2", "TN 2.1"]
    link = page.select_one('#my-drafts li[data-goal="TN 1.1"] a')
    assert link["href"] == reverse("assessments:determination", args=["TN", 2023, "1.1"])


def test_a_goal_assignment_sends_that_goal_to_its_own_analyst(client, world):
    assign(
        world,
        ("MS", "analyst", "reviewer", FUTURE),
        ("MS", "admin", "reviewer", FUTURE, "2.1"),
    )
    assert items(inbox(client, world.users["analyst"]), "my-drafts") == ["MS 1.1", "MS 1.2"]
    assert items(inbox(client, world.users["admin"]), "my-drafts") == ["MS 2.1"]


def test_the_analyst_sees_no_submitted_goal_and_a_resubmitted_goal_leaves_the_inbox(client, world):
    assign(world, ("MS", "analyst", "reviewer", FUTURE))
    send_back(world, "MS", "1.2", "Quote subsection (8).")
    submit(world, "MS", "1.1")
    edit(world, "MS", "1.2", user="analyst", reason="Quoted (8)")
    submit(world, "MS", "1.2")
    page = inbox(client, world.users["analyst"])
    assert items(page, "changes-requested") == []
    assert items(page, "my-drafts") == ["MS 2.1"]


def test_the_reviewer_finds_goals_assigned_to_them_then_others_they_may_review_oldest_first(
    client, world
):
    assign(world, ("MS", "analyst", "reviewer", FUTURE), ("TN", "analyst", "admin", FUTURE))
    for code, goal in [("TN", "1.1"), ("MS", "2.1"), ("MS", "1.1")]:
        submit(world, code, goal)
    page = inbox(client, world.users["reviewer"])
    assert items(page, "review-assigned") == ["MS 2.1", "MS 1.1"]
    assert items(page, "review-others") == ["TN 1.1"]


def test_the_reviewer_is_not_offered_goals_they_edited_four_eyes(client, world):
    world.users["reviewer"].groups.add(*world.users["analyst"].groups.all())
    edit(world, "TN", "1.1", user="reviewer", reason="Typo")
    submit(world, "TN", "1.1")
    submit(world, "MS", "1.1")
    page = inbox(client, world.users["reviewer"])
    assert items(page, "review-others") == ["MS 1.1"]
    assert "1 more on this page are left out" in text(page.select_one("#review-others"))


def publish_stand_in(world, code, *, days_ago=2):
    """A published version 1 of the jurisdiction, stored as a stand-in file."""
    card = PublishedReportCard(
        assessment=world.assessments[code],
        version=1,
        sha256="0" * 64,
        size=8,
        page_count=1,
        published_by=world.users["publisher"],
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    card.pdf.save("stand-in.pdf", ContentFile(b"%PDF-1.4"))
    return card


def test_the_publisher_finds_jurisdictions_ready_with_the_gate_and_published_ones_changed_since(
    client, world
):
    ready_to_publish(world, "MS")
    world.approve_all("TN")
    publish_stand_in(world, "TN")
    page = inbox(client, world.users["publisher"])
    ready = page.select("#ready-to-publish li[data-code]")
    assert [li["data-code"] for li in ready] == ["MS"]
    assert text(ready[0].select_one(".gate")) == "gate clear"
    changed = page.select("#changed-since-published li[data-code]")
    assert [li["data-code"] for li in changed] == ["TN"]
    assert "3 goals approved since, state texts approved since" in text(changed[0])


def test_the_publisher_is_told_what_blocks_a_jurisdiction_whose_goals_are_all_approved(
    client, world
):
    world.approve_all("MS")  # the scores were never computed
    page = inbox(client, world.users["publisher"])
    gate = text(page.select_one('#ready-to-publish li[data-code="MS"] .gate'))
    assert gate.startswith("blocked")


def test_a_published_jurisdiction_without_changes_is_not_listed(client, world):
    world.approve_all("TN")
    publish_stand_in(world, "TN", days_ago=-1)  # published after every approval
    page = inbox(client, world.users["publisher"])
    assert not page.select("#changed-since-published li[data-code]")
    assert not page.select("#ready-to-publish li[data-code]")


@pytest.mark.parametrize(
    ("role", "sections", "empty"),
    [
        ("analyst", ["changes-requested", "my-drafts"], "No drafts assigned to you."),
        ("reviewer", ["review-assigned", "review-others"], "Nothing assigned to you waits"),
        ("publisher", ["ready-to-publish", "changed-since-published"], "No jurisdiction has"),
    ],
)
def test_each_role_sees_only_its_sections_and_says_when_they_are_empty(
    client, world, role, sections, empty
):
    page = inbox(client, world.users[role])
    assert [s["id"] for s in page.select("section.inbox-section")] == sections
    assert empty in text(page.select_one("main"))
    assert page.select_one(f'main a[href="{reverse("national")}"]')


def test_the_admin_sees_every_section(client, world):
    page = inbox(client, world.users["admin"])
    assert len(page.select("section.inbox-section")) == 6


def nav_count(client, user) -> str:
    return text(inbox(client, user).select_one("#nav-my-work"))


def test_the_navigation_bar_counts_the_work_waiting_for_each_role(client, world):
    assign(world, ("MS", "analyst", "reviewer", FUTURE))
    submit(world, "MS", "1.1")
    ready_to_publish(world, "TN")
    assert nav_count(client, world.users["analyst"]) == "My work 2 waiting"
    assert nav_count(client, world.users["reviewer"]) == "My work 1 waiting"
    assert nav_count(client, world.users["publisher"]) == "My work 1 waiting"


def test_each_section_pages_on_its_own(client, world, monkeypatch):
    monkeypatch.setattr(inbox_views, "INBOX_PAGE_SIZE", 2)
    assign(world, ("MS", "analyst", "reviewer", FUTURE), ("TN", "analyst", "reviewer", FUTURE))
    first = inbox(client, world.users["analyst"])
    assert items(first, "my-drafts") == ["MS 1.1", "MS 1.2"]
    following = first.select_one('#my-drafts a[rel="next"]')["href"]
    assert following == "?drafts_page=2"
    second = inbox(client, world.users["analyst"], drafts_page=2)
    assert items(second, "my-drafts") == ["MS 2.1", "TN 1.1"]


# Query counts -------------------------------------------------------------------------------


def busy(world, codes):
    """Every section with at least a page of items: work assigned (due in the past), a goal
    of each sent back, one submitted and one a plain draft; two jurisdictions ready to
    publish and one published with changes since."""
    assign(world, *[(code, "analyst", "reviewer", PAST) for code in codes])
    ready_to_publish(world, codes[0])
    ready_to_publish(world, codes[1])
    world.approve_all(codes[2])
    publish_stand_in(world, codes[2])
    working = GoalDetermination.objects.filter(assessment__jurisdiction__code__in=codes[3:])
    for determination in working.filter(goal__number="1.2"):
        changes_requested(world, determination, "Say more.")
    working.filter(goal__number="1.1").update(review_state=ReviewState.SUBMITTED)


def inbox_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


def test_the_inbox_costs_the_same_queries_with_more_jurisdictions_and_goals(
    client, world, monkeypatch
):
    monkeypatch.setattr(inbox_views, "INBOX_PAGE_SIZE", 2)
    roles = ["analyst", "reviewer", "publisher", "admin"]
    GoalDetermination.objects.filter(goal__number="1.1").update(
        review_state=ReviewState.SUBMITTED  # unassigned: "others I may review"
    )
    grow(world, ["AL", "AK", "AZ", "AR", "CA"], [])
    busy(world, ["AL", "AK", "AZ", "AR", "CA"])
    few = {role: inbox_queries(client, world.users[role]) for role in roles}
    shown = {
        section: len(inbox(client, world.users[role]).select(f"#{section} li"))
        for role, section in [
            ("analyst", "changes-requested"),
            ("analyst", "my-drafts"),
            ("reviewer", "review-assigned"),
            ("reviewer", "review-others"),
            ("publisher", "ready-to-publish"),
            ("publisher", "changed-since-published"),
        ]
    }
    assert shown == dict.fromkeys(shown, 2) | {"changed-since-published": 1}  # full pages
    grow(world, ["CO", "CT", "DE", "FL", "GA", "HI", "ID"], ["1.3", "1.4", "1.5"])
    busy(world, ["CO", "CT", "DE", "FL", "GA", "HI", "ID"])
    many = {role: inbox_queries(client, world.users[role]) for role in roles}
    assert many == few


def test_goals_of_a_published_cycle_leave_every_inbox(client, world):
    assign(world, ("MS", "analyst", "reviewer", PAST))
    submit(world, "MS", "1.1")
    world.cycle.state = world.cycle.State.PUBLISHED
    world.cycle.save()
    analyst = inbox(client, world.users["analyst"])
    assert items(analyst, "my-drafts") == []
    assert text(analyst.select_one("#nav-my-work")) == "My work"
    assert items(inbox(client, world.users["reviewer"]), "review-assigned") == []
