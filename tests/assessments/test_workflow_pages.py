"""The workflow in the browser's terms: forms, messages, status codes and query counts.

Users fill in the forms the pages render (tests/pages.py `send`, `form_data`). Most tests
work on Mississippi's goal 1.2 of the small world, approved as partially met at 2 of 2.5
points with one citation and one recommendation (tests/factories.py `reviewed_goal`).
"""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from assessments.models import GoalDetermination, ReviewState
from assessments.views import HISTORY_PAGE_SIZE
from tests.factories import (
    CitationFactory,
    DeterminationFactory,
    PolicyGoalFactory,
    UserFactory,
)
from tests.pages import form_data, messages, parsed, send, text

pytestmark = pytest.mark.django_db

EDITOR = "form#determination-form"
SUBMIT = 'form[action$="/submit/"]'
APPROVE = '#review-actions form[action$="/approve/"]'
REQUEST_CHANGES = '#review-actions form[action$="/request-changes/"]'
TEXTS = "form[method=post]:has(input[name=version])"


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def goal_url(number="1.2", name="determination"):
    return url(name, "MS", 2023, number)


def determination(number="1.2"):
    return GoalDetermination.objects.get(
        assessment__jurisdiction__code="MS", assessment__cycle__year=2023, goal__number=number
    )


def add_row(data, prefix, **values):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    for key, value in values.items():
        data[f"{prefix}-{index}-{key}"] = value
    return data


def editor_data(client, number="1.2", **changes):
    """The goal's editor form as the page fills it, with `changes` typed in."""
    form = parsed(client.get(goal_url(number))).select_one(EDITOR)
    return {**form_data(form), **changes}


def field_errors(page, name):
    return [text(error) for error in page.select(f'[id^="error_"][id$="_id_{name}"]')]


def changes(element) -> dict[str, tuple[str, str]]:
    """The field changes a diff lists, as label: (old value, new value)."""
    return {text(li.strong): (text(li.find("del")), text(li.ins)) for li in element.select("li")}


def said(element) -> str:
    """What a list item says, read as one line (its label's colon included)."""
    return " ".join(element.get_text().split())


def entry(page, title):
    """The history entry whose title starts with `title`."""
    for card in page.select("[data-entry-kind]"):
        if text(card.strong).startswith(title):
            return card
    raise AssertionError(f"No history entry “{title}”.")


def queries(client, page_url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page_url).status_code == 200
    return len(captured)


def test_it_shows_the_overview_with_provisional_and_published_scores(world, analyst):
    world.approve("MS", "1.1")
    world.approve("MS", "1.2")
    GoalDetermination.objects.filter(pk=world.determination("MS", "2.1").pk).update(
        status="partially_met", points=D("1")
    )
    page = parsed(analyst.get(url("overview", "MS", 2023)))
    assert text(page.select_one("#progress")) == "2 approved · 0 submitted · 1 draft of 3 goals"
    assert text(page.select_one("#published-total")).split()[0] == "5"
    assert text(page.select_one("#provisional-total")).split()[0] == "6"
    assert [row["data-goal"] for row in page.select("tr[data-goal]")] == ["1.1", "1.2", "2.1"]


def test_it_keeps_the_overview_query_count_flat(world, analyst):
    overview = url("overview", "MS", 2023)
    # One citation to start from: the citation check reads the cited statutes only when
    # something cites one.
    CitationFactory(determination=world.determination("MS", "1.1"), quote="q")
    before = queries(analyst, overview)
    area_2 = world.goals["2.1"].issue_area
    goal_22 = PolicyGoalFactory(framework=world.framework, issue_area=area_2, number="2.2")
    DeterminationFactory(assessment=world.assessments["MS"], goal=goal_22)
    goal_12, goal_21 = world.determination("MS", "1.2"), world.determination("MS", "2.1")
    for number in range(30):  # more goals, citations and recommendations cost no queries
        CitationFactory(determination=goal_12, quote=f"q{number}")
        goal_21.recommendations.create(text=f"r{number}")
    assert queries(analyst, overview) == before <= 20


def test_it_edits_an_approved_goal_with_a_reason_and_returns_it_to_draft(goal, analyst):
    data = editor_data(analyst, points="1.75", change_reason="Re-read § 43-21-157")
    add_row(data, "recommendations", text="Require courts to consider trauma.")
    response = analyst.post(goal_url(), data, follow=True)
    assert response.redirect_chain == [(goal_url(), 302)]
    assert messages(response) == ["Saved goal 1.2."]
    saved = determination()
    assert (saved.points, saved.review_state) == (D("1.75"), "draft")
    assert saved.recommendations.last().text == "Require courts to consider trauma."
    diff = parsed(response).select_one("#diff-since-approval")
    assert text(diff.select_one(".card-header")) == (
        f"Changes since the last approved version ({goal.version})"
    )
    assert [said(item) for item in diff.select("li")] == [
        "Status and points: Partially met, 2 → 1.75 of 2.5 points",
        "Recommendation 2 added: Require courts to consider trauma.",
    ]


def test_it_refuses_an_edit_of_an_approved_goal_without_a_reason_and_keeps_the_text(goal, analyst):
    response = send(analyst, goal_url(), EDITOR, narrative="My careful new analysis.")
    assert response.status_code == 400
    page = parsed(response)
    assert field_errors(page, "change_reason") == ["This field is required."]
    assert form_data(page.select_one(EDITOR))["narrative"] == "My careful new analysis."
    assert determination().narrative == goal.narrative


def test_it_asks_to_try_again_when_the_database_gives_up_and_keeps_the_text(
    goal, analyst, monkeypatch
):
    """A deadlock the retry could not get past: the form comes back with what was typed."""
    from assessments import services
    from tests.core.test_retry import deadlock

    def deadlocked(*args, **kwargs):
        raise deadlock()

    monkeypatch.setattr(services, "lock_for_edit", deadlocked)
    response = send(
        analyst, goal_url(), EDITOR, narrative="Words worth keeping.", change_reason="Update"
    )
    assert response.status_code == 409
    page = parsed(response)
    assert "please try again" in text(page.select_one(f"{EDITOR} .alert-danger"))
    assert form_data(page.select_one(EDITOR))["narrative"] == "Words worth keeping."
    assert determination().narrative == goal.narrative


def test_it_says_how_long_a_narrative_may_be_before_and_after_saving(goal, analyst):
    textarea = parsed(analyst.get(goal_url())).select_one(f"{EDITOR} textarea[name=narrative]")
    assert textarea["maxlength"] == "20000"
    too_long = "word " * 4000 + "more."  # 20,005 characters
    response = analyst.post(goal_url(), editor_data(analyst, narrative=too_long, change_reason="x"))
    assert response.status_code == 400
    page = parsed(response)
    assert field_errors(page, "narrative") == [
        "Ensure this value has at most 20000 characters (it has 20005)."
    ]
    assert form_data(page.select_one(EDITOR))["narrative"] == too_long
    assert determination().narrative == goal.narrative


@pytest.mark.parametrize(
    ("points", "message"),
    [("1.3", "steps of 0.25"), ("2.5", "less than 2.5"), ("", "needs points")],
)
def test_it_explains_bad_points_in_plain_words_and_keeps_the_form(goal, analyst, points, message):
    response = send(
        analyst, goal_url(), EDITOR, points=points, change_reason="x", narrative="Kept words."
    )
    assert response.status_code == 400
    page = parsed(response)
    assert message in " ".join(field_errors(page, "points"))
    assert form_data(page.select_one(EDITOR))["narrative"] == "Kept words."


def test_it_asks_for_a_statute_on_a_new_citation_row(goal, analyst):
    data = add_row(editor_data(analyst, change_reason="x"), "citations", pinpoint="(1)", quote="Q")
    response = analyst.post(goal_url(), data)
    assert response.status_code == 400
    citations = parsed(response).select_one('[data-formset="citations"]')
    errors = [text(error) for error in citations.select(".alert-danger")]
    assert errors == ["Choose a statute from the library or enter a new citation."]  # once


def test_it_refuses_the_second_of_two_concurrent_saves_and_shows_both_versions(
    world, goal, analyst
):
    other = Client()
    other.force_login(UserFactory(username="analyst2", roles=[Role.ANALYST]))
    first = editor_data(analyst, narrative="Analyst one wrote this.", change_reason="one")
    second = editor_data(other, narrative="Analyst two wrote that.", change_reason="two")
    assert analyst.post(goal_url(), first).status_code == 302
    response = other.post(goal_url(), second)
    assert response.status_code == 409
    page = parsed(response)
    conflict = page.select_one("#conflict")
    assert text(conflict.select_one(".card-header")).startswith(
        "Someone else saved this goal while you were editing."
    )
    assert text(conflict.select_one(".narrative")) == "Analyst one wrote this."  # theirs
    assert determination().narrative == "Analyst one wrote this."
    # The kept form holds the user's words on top of their version: sent again, it
    # replaces theirs on purpose.
    kept = form_data(page.select_one(EDITOR))
    assert kept["narrative"] == "Analyst two wrote that."
    assert int(kept["version"]) == determination().version
    assert other.post(goal_url(), kept).status_code == 302
    assert determination().narrative == "Analyst two wrote that."


def test_it_runs_submit_request_changes_and_approve_through_the_pages(
    client, world, goal, django_capture_on_commit_callbacks
):
    client.force_login(world.users["analyst"])
    send(client, goal_url(), EDITOR, points="2.25", change_reason="Update")
    submitted = send(client, goal_url(), SUBMIT)
    assert messages(submitted) == ["Goal 1.2 was submitted for review."]
    assert determination().review_state == "submitted"

    client.force_login(world.users["reviewer"])
    queue = parsed(client.get(url("review_queue")))
    assert queue.select_one('tr[data-goal="1.2"][data-code="MS"]') is not None
    no_comment = send(client, goal_url(), REQUEST_CHANGES, comment="  ")
    assert no_comment.status_code == 400
    assert text(parsed(no_comment).select_one("#review-refused")) == (
        "Say what needs to change: the comment is required."
    )
    send(client, goal_url(), REQUEST_CHANGES, comment="Cite (8).")
    assert determination().review_state == "draft"

    client.force_login(world.users["analyst"])
    request = text(parsed(client.get(goal_url())).select_one(".alert-warning[role=status]"))
    assert request.startswith("reviewer requested changes") and request.endswith("Cite (8).")
    send(client, goal_url(), EDITOR, narrative="Now cites (8).")
    send(client, goal_url(), SUBMIT)

    client.force_login(world.users["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        approved = send(client, goal_url(), APPROVE)
    assert messages(approved) == ["Goal 1.2 approved; scores will update in a moment."]
    assert determination().review_state == "approved"
    home = parsed(client.get(reverse("national")))
    total = home.select_one('tr[data-code="MS"]').find_all("td")[2]
    assert text(total) == "2.25"


@pytest.fixture
def submitted(goal, analyst):
    """Goal 1.2 edited and submitted for review by the analyst."""
    send(analyst, goal_url(), EDITOR, points="2.25", change_reason="Update")
    send(analyst, goal_url(), SUBMIT)
    assert determination().review_state == "submitted"
    return determination()


def reviewer_client(world, name="reviewer"):
    browser = Client()
    user = world.users.get(name) or UserFactory(username=name, roles=[Role.REVIEWER])
    browser.force_login(user)
    return browser


def review_events(action):
    return determination().review_events.filter(action=action).count()


def test_it_keeps_the_typed_comment_when_the_database_gives_up(world, submitted, monkeypatch):
    """A deadlock the retry could not get past: the reviewer's words come back in the form."""
    from assessments import services
    from tests.core.test_retry import deadlock

    def deadlocked(*args, **kwargs):
        raise deadlock()

    reviewer = reviewer_client(world)
    comment = "Cite (8) too, and explain the\nexception for minors."
    monkeypatch.setattr(services, "lock_for_edit", deadlocked)
    response = send(reviewer, goal_url(), REQUEST_CHANGES, comment=comment)
    assert response.status_code == 409
    page = parsed(response)
    assert "please try again" in text(page.select_one("#review-refused"))
    kept = form_data(page.select_one(REQUEST_CHANGES))
    assert kept["comment"] == comment
    assert determination().review_state == "submitted"
    assert review_events("request_changes") == 0

    monkeypatch.undo()  # the database has calmed down: sending the kept form works
    again = reviewer.post(goal_url(name="request_changes"), kept, follow=True)
    assert messages(again) == ["Goal 1.2 was sent back to the analyst."]
    assert determination().review_events.last().comment == comment


def test_it_keeps_the_comment_when_the_goal_changed_while_the_reviewer_typed(
    world, submitted, analyst
):
    """Someone else's change in between: the page shows the goal as it is now, the
    comment kept in a form for the version now on screen."""
    reviewer = reviewer_client(world)
    stale_form = form_data(parsed(reviewer.get(goal_url())).select_one(REQUEST_CHANGES))
    other = reviewer_client(world, "reviewer2")
    send(other, goal_url(), REQUEST_CHANGES, comment="Fix the pinpoint.")
    send(analyst, goal_url(), EDITOR, narrative="Pinpoint fixed.")
    send(analyst, goal_url(), SUBMIT)

    comment = "The narrative should name the statute."
    response = reviewer.post(goal_url(name="request_changes"), {**stale_form, "comment": comment})
    assert response.status_code == 409
    page = parsed(response)
    assert "saved a newer version of goal 1.2" in text(page.select_one("#review-refused"))
    kept = form_data(page.select_one(REQUEST_CHANGES))
    assert kept == {**kept, "comment": comment, "version": str(determination().version)}
    assert review_events("request_changes") == 1  # the other reviewer's only
    assert reviewer.post(goal_url(name="request_changes"), kept).status_code == 302
    assert determination().review_events.last().comment == comment


def test_it_keeps_the_comment_when_another_reviewer_approved_meanwhile(world, submitted):
    reviewer = reviewer_client(world)
    stale_form = form_data(parsed(reviewer.get(goal_url())).select_one(REQUEST_CHANGES))
    send(reviewer_client(world, "reviewer2"), goal_url(), APPROVE)

    comment = "Too generous: partially met at most."
    response = reviewer.post(goal_url(name="request_changes"), {**stale_form, "comment": comment})
    assert response.status_code == 400
    page = parsed(response)
    assert text(page.select_one("#review-refused")) == (
        "Goal 1.2 is not waiting for review (it is approved)."
    )
    assert page.select_one(REQUEST_CHANGES) is None  # nothing left to send it to
    assert page.select_one("#review-actions textarea[readonly]").get_text().strip() == comment
    assert determination().review_state == "approved"


def test_it_shows_versions_reasons_and_reviews_on_the_history_page(goal, analyst):
    send(analyst, goal_url(), EDITOR, points="2.25", change_reason="New statute")
    send(analyst, goal_url(), SUBMIT)
    page = parsed(analyst.get(goal_url(name="determination_history")))
    version = goal.version + 1
    edited = entry(page, f"Goal 1.2: version {version} changed")
    assert "by analyst" in text(edited)
    assert "Reason: New statute" in text(edited)
    assert changes(edited)["Points"] == ("2", "2.25")
    assert "Version" not in changes(edited)  # the title says which version it is
    reopened = entry(page, f"Goal 1.2: reopened (version {version})")
    assert "Comment: New statute" in text(reopened)
    assert "by analyst" in text(entry(page, f"Goal 1.2: submitted (version {version})"))


def test_it_shows_on_the_history_page_what_each_approval_approved(client, world, goal):
    client.force_login(world.users["analyst"])
    send(client, goal_url(), EDITOR, points="2.25", narrative="Now fully read.", change_reason="R")
    send(client, goal_url(), SUBMIT)
    client.force_login(world.users["reviewer"])
    send(client, goal_url(), APPROVE)
    page = parsed(client.get(goal_url(name="determination_history")))
    approved = entry(page, f"Goal 1.2: approved (version {goal.version + 1})")
    assert [said(item) for item in approved.select("li")][0] == (
        "Status and points: Partially met, 2 → 2.25 points"
    )
    assert text(approved.select("li")[1].strong) == "Narrative"
    # The first approval has no earlier one to compare with: its versions show its content.
    first = entry(page, f"Goal 1.2: approved (version {goal.version})")
    assert first.select("li") == []


def test_it_paginates_the_assessment_history(world, analyst):
    goal = world.determination("MS", "1.1")
    for number in range(HISTORY_PAGE_SIZE):
        goal.recommendations.create(text=f"Recommendation {number}.")
    first = parsed(analyst.get(url("history", "MS", 2023)))
    assert len(first.select("[data-entry-kind]")) == HISTORY_PAGE_SIZE
    assert text(first.select_one(".pagination .disabled")) == "Page 1 of 2"
    older = first.select_one(".pagination a[rel=next]")["href"]
    second = parsed(analyst.get(url("history", "MS", 2023) + older))
    assert text(second.select_one(".pagination .disabled")) == "Page 2 of 2"


def test_it_reads_a_history_page_with_no_more_queries_at_500_versions_than_at_5(world, analyst):
    """Pages are chosen before anything is diffed: the cost does not grow with the history."""
    goal = world.determination("MS", "1.1")

    def add_versions(count):
        for _ in range(count):
            goal.version += 1
            goal.narrative = f"Finding of version {goal.version}."
            goal.save()

    pages = [goal_url("1.1", "determination_history"), url("history", "MS", 2023)]
    add_versions(5)
    at_5 = [queries(analyst, page) for page in pages]
    add_versions(495)
    at_500 = [queries(analyst, page) for page in pages]
    # One query per kind of entry on the page (versions, parts, reviews), never per version.
    assert at_500[0] == at_5[0] and at_500[1] <= at_5[1]

    newest = parsed(analyst.get(pages[0]))
    titles = [text(card.strong) for card in newest.select("[data-entry-kind]")]
    assert len(titles) == HISTORY_PAGE_SIZE
    assert titles[:2] == ["Goal 1.1: version 501 changed", "Goal 1.1: version 500 changed"]
    assert changes(newest.select_one("[data-entry-kind]"))["Narrative"] == (
        "Finding of version 500.",
        "Finding of version 501.",
    )


def test_it_previews_markdown_without_letting_scripts_through(world, analyst):
    response = analyst.post(
        url("preview"), {"narrative": "**Bold** <script>alert(1)</script> [^3]"}
    )
    preview = parsed(response)
    assert text(preview.strong) == "Bold" and text(preview.sup) == "3"
    assert preview.script is None


def test_it_does_not_preview_a_narrative_over_the_limit(world, analyst):
    response = analyst.post(url("preview"), {"narrative": "x" * 20_001})
    assert response.status_code == 400
    assert "longer than 20,000 characters" in text(parsed(response))


def test_it_says_in_the_review_queue_what_changed_since_approval(client, world, goal):
    client.force_login(world.users["analyst"])
    send(client, goal_url(), EDITOR, points="2.25", narrative="New words.", change_reason="Update")
    send(client, goal_url(), SUBMIT)
    client.force_login(world.users["reviewer"])
    queue = parsed(client.get(url("review_queue")))
    row = queue.select_one('tr[data-goal="1.2"][data-code="MS"]')
    since_approval = [text(item) for item in row.select("[data-changes] li")]
    assert since_approval == [
        "Status and points: Partially met, 2 → 2.25 of 2.5 points",
        "Narrative changed",
    ]


def test_it_says_in_the_review_queue_when_a_resave_changed_nothing(client, world, goal):
    client.force_login(world.users["analyst"])
    send(client, goal_url(), EDITOR, change_reason="Saved again")
    send(client, goal_url(), SUBMIT)
    assert determination().version > goal.version
    client.force_login(world.users["reviewer"])
    row = parsed(client.get(url("review_queue"))).select_one('tr[data-goal="1.2"]')
    assert text(row.select_one("[data-changes]")) == f"nothing changed since version {goal.version}"
    box = parsed(client.get(goal_url())).select_one("#diff-since-approval")
    assert text(box.select_one("li")) == (
        f"Nothing changed: this version reads as version {goal.version} did."
    )


def test_it_shows_the_reviewer_each_citation_change_in_words(client, world, goal):
    """A second citation approved; then the analyst deletes the first and edits the
    second's quote: the reviewer's page lists both, and the narrative's word diff."""
    second = CitationFactory(determination=goal, position=2, quote="The old wording stays.")
    world.approve("MS", "1.2", "partially_met", D("2"))
    removed = goal.citations.get(position=1).statute.citation
    client.force_login(world.users["analyst"])
    data = editor_data(client, narrative="A new reading.", change_reason="Re-read")
    for key, value in list(data.items()):
        if key.startswith("citations-") and key.endswith("-quote"):
            index = key.split("-")[1]
            if value != second.quote:
                data[f"citations-{index}-DELETE"] = "on"
            else:
                data[key] = "The new wording stays."
    assert client.post(goal_url(), data).status_code == 302
    client.force_login(world.users["reviewer"])
    box = parsed(client.get(goal_url())).select_one("#diff-since-approval")
    items = {text(li.strong): li for li in box.select("li")}
    kept = second.statute.citation
    assert list(items) == [
        "Narrative",
        f"Citation 1 ({removed}) removed",
        f"Citation 1 ({kept}) moved",
        f"Citation 1 ({kept}) quote",
    ]
    assert text(items[f"Citation 1 ({kept}) quote"].select_one("del")) == "old"
    assert text(items[f"Citation 1 ({kept}) quote"].select_one("ins")) == "new"
    assert text(items[f"Citation 1 ({kept}) moved"]).endswith("now quote 1 (was quote 2)")


def test_it_keeps_the_review_queue_query_count_flat(client, world, goal):
    client.force_login(world.users["reviewer"])
    determinations = GoalDetermination.objects.filter(assessment__cycle=world.cycle)
    determinations.filter(assessment__jurisdiction__code="MS").update(
        review_state=ReviewState.SUBMITTED
    )
    mississippi = queries(client, url("review_queue"))
    determinations.update(review_state=ReviewState.SUBMITTED)
    # 20: the four-eyes rule reads review events and history once per page, the changes
    # since approval read each part of the goals once (6), the goals whose cited statutes
    # changed since approval are one query, the state texts waiting for review one more,
    # and the count of the reviewer's work in the navigation bar one.
    assert queries(client, url("review_queue")) == mississippi <= 20


def test_it_saves_state_texts_and_detects_a_concurrent_edit(world, analyst):
    texts_url = url("texts", "MS", 2023)
    loaded = form_data(parsed(analyst.get(texts_url)).select_one(TEXTS))
    form = {**loaded, "highlights": "First.\nSecond.", "safe_harbor_status": "S"}
    saved = analyst.post(texts_url, form, follow=True)
    assert messages(saved) == ["Saved the state texts."]
    stale = analyst.post(texts_url, {**form, "highlights": "Mine."})
    assert stale.status_code == 409
    page = parsed(stale)
    assert text(page.select_one("#conflict")).startswith("Someone else saved these texts")
    kept = form_data(page.select_one(TEXTS))
    assert kept["highlights"] == "Mine."
    assert int(kept["version"]) == int(loaded["version"]) + 1  # based on theirs now


def test_it_explains_a_review_form_without_its_version_and_changes_nothing(client, world, goal):
    client.force_login(world.users["reviewer"])
    response = client.post(goal_url(name="approve"), {}, follow=True)
    assert response.redirect_chain[-1][0] == goal_url()
    assert messages(response) == ["The form was missing its version; reload the page and retry."]
    assert determination().review_state == "approved"


def test_it_offers_approval_exactly_where_the_four_eyes_rule_allows_it(client, world, goal):
    """An analyst-reviewer wrote a version; another analyst saved the last one. The queue,
    the goal page and the server all say the first may not approve; the reviewer may."""
    both = UserFactory(username="both", roles=[Role.ANALYST, Role.REVIEWER])
    client.force_login(both)
    send(client, goal_url(), EDITOR, narrative="Both wrote this.", change_reason="Update")
    client.force_login(world.users["analyst"])
    send(client, goal_url(), EDITOR, narrative="The analyst finished it.")
    send(client, goal_url(), SUBMIT)

    client.force_login(both)
    row = parsed(client.get(url("review_queue"))).select_one('tr[data-goal="1.2"]')
    assert text(row.find_all("td")[-1]) == "your edit: another reviewer approves"
    page = parsed(client.get(goal_url()))
    assert page.select_one(APPROVE) is None
    assert "four-eyes" in text(page.select_one("#approve-refused"))
    assert page.select_one(REQUEST_CHANGES) is not None
    refused = client.post(url("approve", "MS", 2023, "1.2"), {"version": goal.version + 2})
    assert "four-eyes" in " ".join(messages(client.get(refused["Location"])))
    assert determination().review_state == "submitted"

    client.force_login(world.users["reviewer"])
    row = parsed(client.get(url("review_queue"))).select_one('tr[data-goal="1.2"]')
    assert text(row.find_all("td")[-1]) == "Review"
    approved = send(client, goal_url(), APPROVE)
    assert messages(approved) == ["Goal 1.2 approved; scores will update in a moment."]


def test_it_tells_an_analyst_why_a_submitted_goal_cannot_be_edited(client, world, goal):
    client.force_login(world.users["analyst"])
    send(client, goal_url(), EDITOR, narrative="Ready.", change_reason="Update")
    send(client, goal_url(), SUBMIT)
    page = parsed(client.get(goal_url()))
    assert page.select_one(EDITOR) is None
    assert "is waiting for review, so it cannot be edited" in text(page.select_one("#edit-refused"))
    client.force_login(world.users["reviewer"])
    assert parsed(client.get(goal_url())).select_one("#edit-refused") is None


def test_it_returns_a_3_mb_narrative_in_the_form_with_the_limit_explained(world, analyst, goal):
    """Far past the 20,000-character limit, the request still reaches the form: the text
    comes back as typed, with the limit, and nothing is saved."""
    huge = "Mississippi law. " * 180_000  # 3 MB
    response = analyst.post(goal_url(), editor_data(analyst, narrative=huge, change_reason="x"))
    assert response.status_code == 400
    page = parsed(response)
    assert page.select_one("textarea[name=narrative]").string.strip() == huge.strip()
    assert "at most 20000 characters" in " ".join(field_errors(page, "narrative"))
    assert determination().narrative == goal.narrative


def test_it_explains_a_request_too_large_to_read(world, analyst, goal, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    data = editor_data(analyst, narrative="x" * 2000, change_reason="x")
    response = analyst.post(goal_url(), data)
    assert response.status_code == 400
    page = parsed(response)
    assert text(page.find("h1")) == "Nothing was saved"
    assert "Back button" in text(page.select_one("main") or page)
    assert determination().narrative == goal.narrative


def test_it_saves_a_title_with_footnote_marks_and_refuses_one_with_other_words(goal, analyst):
    marked = goal.goal.text.replace(" ", "[^1] ", 1)
    response = send(analyst, goal_url(), EDITOR, marked_title=marked, change_reason="Mark")
    assert messages(response) == ["Saved goal 1.2."]
    assert determination().marked_title == marked
    response = send(
        analyst, goal_url(), EDITOR, marked_title="Another title[^1]", change_reason="Mark"
    )
    assert response.status_code == 400
    assert field_errors(parsed(response), "marked_title") == [
        "The marked title of goal 1.2 must read as the goal's title once its footnote marks "
        f"are taken out: “{goal.goal.text}”."
    ]
    assert determination().marked_title == marked
