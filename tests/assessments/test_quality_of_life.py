"""Quality of life on the goal page (issue 14): save and submit in one step, withdraw a
submission, "approve and next" / "request changes and next"."""

import datetime
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.assignments import AssignmentRow, assignments_replace
from assessments.models import GoalDetermination, ReviewEvent
from tests.factories import save_as
from tests.pages import form_data, messages, parsed, send, text

pytestmark = pytest.mark.django_db

EDITOR = "form#determination-form"
WITHDRAW = "form#withdraw"
APPROVE = '#review-actions form[action$="/approve/"]'
REQUEST_CHANGES = '#review-actions form[action$="/request-changes/"]'


def goal_url(number="1.2", code="MS"):
    return reverse("assessments:determination", args=[code, 2023, number])


def determination(number="1.2", code="MS"):
    return GoalDetermination.objects.get(
        assessment__jurisdiction__code=code, assessment__cycle__year=2023, goal__number=number
    )


def actions(number="1.2", code="MS"):
    return list(determination(number, code).review_events.values_list("action", flat=True))


def browser(world, name):
    client = Client()
    client.force_login(world.users[name])
    return client


def submit(world, code, number, user="analyst"):
    goal = determination(number, code)
    services.determination_submit(
        determination_id=goal.pk, user=world.users[user], expected_version=goal.version
    )


def errors(response) -> str:
    """What the page says went wrong, in the alerts and next to the fields."""
    page = parsed(response)
    return " ".join(text(e) for e in page.select(".alert-danger, .invalid-feedback"))


# Save and submit


def test_save_and_submit_saves_the_edit_and_submits_that_version(world, analyst):
    before = determination().version
    response = send(analyst, goal_url(), EDITOR, narrative="Cites (8).", and_submit="1")
    assert messages(response) == ["Saved and submitted goal 1.2 for review."]
    goal = determination()
    assert (goal.narrative, goal.review_state, goal.version) == (
        "Cites (8).",
        "submitted",
        before + 1,
    )
    assert actions() == ["submit"]
    assert parsed(response).select_one(EDITOR) is None  # frozen while it waits


def test_save_and_submit_of_an_approved_goal_needs_the_change_reason(world, analyst):
    world.approve("MS", "1.2")
    response = send(analyst, goal_url(), EDITOR, narrative="New text.", and_submit="1")
    assert response.status_code == 400
    assert "This field is required." in errors(response)  # the change reason
    assert determination().review_state == "approved"
    send(
        analyst, goal_url(), EDITOR, narrative="New text.", change_reason="2024 law", and_submit="1"
    )
    assert (determination().review_state, actions()) == ("submitted", ["reopen", "submit"])


def test_save_and_submit_saves_nothing_when_the_submission_is_refused(world, analyst):
    """A reference to a quote that is not there may be saved as a draft, not submitted:
    both steps are one, so neither happens, and the typed text stays in the form."""
    before = determination()
    response = send(analyst, goal_url(), EDITOR, narrative="See [^9].", and_submit="1")
    assert response.status_code == 400
    assert "before it can be submitted" in errors(response)
    assert parsed(response).select_one("[name=narrative]").get_text().strip() == "See [^9]."
    after = determination()
    assert (after.version, after.narrative, after.review_state) == (
        before.version,
        before.narrative,
        "draft",
    )


def test_save_and_submit_keeps_the_version_check(world, analyst):
    page = parsed(analyst.get(goal_url()))
    stale = {**form_data(page.select_one(EDITOR)), "narrative": "Mine.", "and_submit": "1"}
    send(browser(world, "admin"), goal_url(), EDITOR, narrative="Theirs.")
    response = analyst.post(goal_url(), stale)
    assert response.status_code == 409
    assert (determination().narrative, determination().review_state) == ("Theirs.", "draft")


# Withdraw


def test_the_submitting_analyst_withdraws_a_submission_back_to_draft(world, analyst):
    submit(world, "MS", "1.2")
    response = send(analyst, goal_url(), WITHDRAW)
    assert messages(response) == ["Goal 1.2 was withdrawn from review; it is a draft again."]
    assert determination().review_state == "draft"
    assert actions() == ["submit", "withdraw"]
    event = determination().review_events.last()
    assert (event.actor.username, event.get_action_display()) == ("analyst", "Withdrew")
    assert parsed(response).select_one(EDITOR) is not None  # editable again
    history = parsed(
        analyst.get(reverse("assessments:determination_history", args=["MS", 2023, "1.2"]))
    )
    assert "withdrew (version" in text(history)


def test_only_the_submitter_may_withdraw_and_only_before_review(world, analyst):
    submit(world, "MS", "1.2", user="admin")
    page = parsed(analyst.get(goal_url()))
    assert page.select_one(WITHDRAW) is None
    withdraw = reverse("assessments:withdraw", args=["MS", 2023, "1.2"])
    version = determination().version
    refused = analyst.post(withdraw, {"version": version}, follow=True)
    assert messages(refused) == ["Only the analyst who submitted goal 1.2 can withdraw it."]
    assert determination().review_state == "submitted"
    assert browser(world, "reviewer").post(withdraw, {"version": version}).status_code == 403
    services.determination_approve(
        determination_id=determination().pk, user=world.users["reviewer"], expected_version=version
    )
    late = browser(world, "admin").post(withdraw, {"version": version}, follow=True)
    assert messages(late) == [
        "Goal 1.2 is approved; only a submission waiting for review can be withdrawn."
    ]
    assert determination().review_state == "approved"
    assert ReviewEvent.objects.filter(action="withdraw").count() == 0


# Approve and next


def assign(world, *rows):
    due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    assignments_replace(
        cycle_id=world.cycle.pk,
        rows=[
            AssignmentRow(row=n, jurisdiction=code, analyst="analyst", reviewer=reviewer, due=due)
            for n, (code, reviewer) in enumerate(rows, start=2)
        ],
        user=world.users["publisher"],
    )


def test_approve_and_next_lands_on_the_next_goal_assigned_to_the_reviewer_first(world):
    assign(world, ("MS", "admin"), ("TN", "reviewer"))
    for code, number in (("MS", "1.1"), ("MS", "1.2"), ("TN", "2.1"), ("TN", "1.1")):
        submit(world, code, number)
    reviewer = browser(world, "reviewer")
    response = send(reviewer, goal_url("1.1"), APPROVE, next="1")
    assert determination("1.1").review_state == "approved"
    # TN is assigned to this reviewer (oldest submission first), before MS's other goals.
    assert response.redirect_chain[-1][0] == goal_url("2.1", "TN")
    assert messages(response)[-1].startswith("Next: goal 2.1 of")
    response = send(reviewer, goal_url("2.1", "TN"), REQUEST_CHANGES, comment="Cite it.", next="1")
    assert determination("2.1", "TN").review_state == "draft"
    assert response.redirect_chain[-1][0] == goal_url("1.1", "TN")
    response = send(reviewer, goal_url("1.1", "TN"), APPROVE, next="1")
    assert response.redirect_chain[-1][0] == goal_url("1.2")  # then the others


def test_approve_and_next_skips_goals_the_reviewer_may_not_approve(world):
    """Four-eyes: a goal the reviewer edited is not where "next" lands; nothing left goes
    to the inbox."""
    submit(world, "MS", "1.1")
    own = determination("1.2")
    admin = world.users["admin"]  # holds every role: edits, and reviews others' work
    save_as(admin, own, reason="", narrative="Admin's.")
    submit(world, "MS", "1.2")
    response = send(browser(world, "admin"), goal_url("1.1"), APPROVE, next="1")
    assert determination("1.2").review_state == "submitted"
    assert response.redirect_chain[-1][0] == reverse("home")
    assert messages(response)[-1] == "Nothing else waits for your review."


# Restore this version


def history_url(number="1.2"):
    return reverse("assessments:determination_history", args=["MS", 2023, number])


def restore_form(version):
    return f'form[data-restore="{version}"]'


@pytest.fixture
def reapproved(world, goal):
    """Goal 1.2 approved at 2 points (version `goal.version`), then edited to 1.75 with a
    new narrative and approved again."""
    edited = save_as(
        world.users["analyst"],
        goal,
        reason="New reading",
        narrative="A newer reading.",
    )
    edited = save_as(
        world.users["analyst"],
        determination(),
        reason="Fewer points",
        status="partially_met",
        points=edited.points - D("0.25"),
        narrative="A newer reading.",
    )
    submit(world, "MS", "1.2")
    services.determination_approve(
        determination_id=edited.pk,
        user=world.users["reviewer"],
        expected_version=determination().version,
    )
    return goal


def test_restore_brings_back_an_approved_version_as_a_new_draft(world, analyst, reapproved):
    old = reapproved
    current = determination()
    response = send(analyst, history_url(), restore_form(old.version), reason="Repeal undone")
    assert response.redirect_chain[-1][0] == goal_url()
    assert messages(response) == [
        f"Version {old.version} of goal 1.2 was restored as a new draft; the approved "
        "version counts until it is approved."
    ]
    restored = determination()
    assert restored.version == current.version + 1
    assert (restored.status, restored.points, restored.narrative) == (
        old.status,
        old.points,
        old.narrative,
    )
    assert [r.text for r in restored.recommendations.all()] == [
        r.text for r in old.recommendations.all()
    ]
    assert [c.statute_id for c in restored.citations.all()] == [
        c.statute_id for c in old.citations.all()
    ]
    # The newer approval still counts until the restored version is approved.
    assert restored.review_state == "draft"
    assert (restored.approved.version, restored.approved.points) == (
        current.version,
        current.points,
    )
    record = restored.history.order_by("-history_id").first()
    assert record.history_change_reason == f"Restored version {old.version}: Repeal undone"


def test_restore_needs_a_reason_and_keeps_what_was_typed_on_refusal(world, analyst, reapproved):
    before = determination()
    response = send(analyst, history_url(), restore_form(reapproved.version), reason="  ")
    assert response.status_code == 400
    page = parsed(response)
    assert text(page.select_one("#restore-refused")) == (
        "Nothing was restored. Say why this version is restored: the reason is required."
    )
    long = "x" * 80
    response = send(analyst, history_url(), restore_form(reapproved.version), reason=long)
    kept = parsed(response).select_one(f"{restore_form(reapproved.version)} [name=reason]")
    assert kept["value"] == long
    assert determination().version == before.version


def test_restore_refuses_a_version_never_approved_and_a_stale_page(world, analyst, reapproved):
    data = {"version": determination().version, "restore_version": 1, "reason": "why"}
    restore = reverse("assessments:restore", args=["MS", 2023, "1.2"])
    response = analyst.post(restore, {**data, "restore_version": reapproved.version + 1})
    assert response.status_code == 400
    assert "was never approved" in text(parsed(response).select_one("#restore-refused"))
    stale = {**data, "restore_version": reapproved.version, "version": reapproved.version}
    assert analyst.post(restore, stale).status_code == 409
    assert determination().review_state == "approved"


def test_restore_is_offered_to_analysts_on_approvals_only(world, client, reapproved):
    client.force_login(world.users["reviewer"])
    assert parsed(client.get(history_url())).select(".restore-form") == []
    restore = reverse("assessments:restore", args=["MS", 2023, "1.2"])
    assert (
        client.post(restore, {"version": 1, "restore_version": 1, "reason": "x"}).status_code == 403
    )
    client.force_login(world.users["analyst"])
    offered = parsed(client.get(history_url())).select(".restore-form")
    assert sorted(int(form["data-restore"]) for form in offered) == [
        reapproved.version,
        determination().version,
    ]
