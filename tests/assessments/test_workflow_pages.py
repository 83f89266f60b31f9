"""The workflow in the browser's terms: forms, messages, status codes and query counts."""

import re
from decimal import Decimal as D

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.models import Citation, GoalDetermination, Recommendation
from statutes.models import Statute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]

MS = ("MS", 2023)


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def goal_url(number, name="determination"):
    return url(name, *MS, number)


def determination(number):
    return GoalDetermination.objects.get(
        assessment__jurisdiction__code="MS", assessment__cycle__year=2023, goal__number=number
    )


def editor_post(number, **changes):
    """What the editor form posts for the goal as it is now, with `changes` applied."""
    d = determination(number)
    data = {
        "status": d.status,
        "points": "" if d.status != "partially_met" else str(d.points),
        "narrative": d.narrative,
        "change_reason": "",
        "version": d.version,
    }
    for prefix, rows in {
        "citations": [
            {"id": c.pk, "statute": c.statute_id, "pinpoint": c.pinpoint, "quote": c.quote}
            for c in d.citations.all()
        ],
        "recommendations": [{"text": r.text} for r in d.recommendations.all()],
        "insights": [
            {"id": i.pk, "quote": i.quote, "attribution": i.attribution} for i in d.insights.all()
        ],
        "awards": [
            {
                "id": a.pk,
                "category": a.category_id,
                "points": a.points,
                "explanation": a.explanation,
            }
            for a in d.extra_credit_awards.all()
        ],
    }.items():
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
    data.update(changes)
    return data


def add_row(data, prefix, **values):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    for key, value in values.items():
        data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def analyst_client(client, users):
    client.force_login(users["analyst"])
    return client


def test_it_shows_the_overview_with_provisional_and_published_scores(analyst_client):
    html = analyst_client.get(url("overview", *MS)).content.decode()
    assert "40 goals" in html and "<strong>40</strong> approved" in html
    assert 'id="published-total">68.5' in html
    assert html.count('<tr data-goal="') == 40


def test_it_keeps_the_overview_query_count_flat(analyst_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        analyst_client.get(url("overview", *MS))
    ms = determination("1.1").assessment
    for number in range(30):  # more citations and recommendations must not cost queries
        Citation.objects.create(
            determination=determination("1.2"),
            statute=Statute.objects.filter(jurisdiction=ms.jurisdiction).first(),
            quote=f"q{number}",
        )
        Recommendation.objects.create(determination=determination("1.3"), text=f"r{number}")
    with django_assert_max_num_queries(20):
        analyst_client.get(url("overview", *MS))


def test_it_edits_an_approved_goal_with_a_reason_and_returns_it_to_draft(analyst_client):
    data = editor_post("2.9", points="1.75", change_reason="Re-read § 43-21-157")
    add_row(data, "recommendations", text="Require courts to consider trauma.")
    response = analyst_client.post(goal_url("2.9"), data)
    assert response.status_code == 302
    goal = determination("2.9")
    assert (goal.points, goal.review_state) == (D("1.75"), "draft")
    assert goal.recommendations.last().text == "Require courts to consider trauma."
    page = analyst_client.get(goal_url("2.9")).content.decode()
    assert "Saved goal 2.9." in page
    assert "Changes since the last approved version" in page


def test_it_refuses_an_edit_of_an_approved_goal_without_a_reason_and_keeps_the_text(
    analyst_client,
):
    data = editor_post("2.9", narrative="My careful new analysis.")
    response = analyst_client.post(goal_url("2.9"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required" in html
    assert "My careful new analysis." in html
    assert determination("2.9").narrative != "My careful new analysis."


@pytest.mark.parametrize(
    ("points", "message"),
    [("1.3", "steps of 0.25"), ("2.5", "less than 2.5"), ("", "needs points")],
)
def test_it_explains_bad_points_in_plain_words_and_keeps_the_form(analyst_client, points, message):
    data = editor_post("2.9", points=points, change_reason="x", narrative="Kept words.")
    response = analyst_client.post(goal_url("2.9"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Kept words." in html


def test_it_asks_for_a_statute_on_a_new_citation_row(analyst_client):
    data = add_row(editor_post("2.9", change_reason="x"), "citations", pinpoint="(1)", quote="Q")
    response = analyst_client.post(goal_url("2.9"), data)
    assert response.status_code == 400
    assert "Choose a statute from the library or enter a new citation." in response.content.decode()


def test_it_refuses_the_second_of_two_concurrent_saves_and_shows_both_versions(
    client, analyst_client, users
):
    first = editor_post("2.9", narrative="Analyst one wrote this.", change_reason="one")
    second = editor_post("2.9", narrative="Analyst two wrote that.", change_reason="two")
    assert analyst_client.post(goal_url("2.9"), first).status_code == 302
    from django.contrib.auth.models import Group
    from django.test import Client

    other = users["analyst"].__class__.objects.create_user("analyst2", password="x" * 12)
    other.groups.add(Group.objects.get(name="Analyst"))
    second_client = Client()
    second_client.force_login(other)
    response = second_client.post(goal_url("2.9"), second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this goal while you were editing" in html
    assert "Analyst one wrote this." in html  # their version
    assert "Analyst two wrote that." in html  # yours, kept
    assert determination("2.9").narrative == "Analyst one wrote this."
    # The kept form now builds on their version: saving it again replaces theirs on purpose.
    newer = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert int(newer) == determination("2.9").version
    again = second_client.post(goal_url("2.9"), {**second, "version": newer})
    assert again.status_code == 302
    assert determination("2.9").narrative == "Analyst two wrote that."


def test_it_runs_submit_request_changes_and_approve_through_the_pages(
    client, users, django_capture_on_commit_callbacks
):
    client.force_login(users["analyst"])
    client.post(goal_url("2.9"), editor_post("2.9", points="2.25", change_reason="Update"))
    version = determination("2.9").version
    client.post(goal_url("2.9", "submit"), {"version": version})
    assert determination("2.9").review_state == "submitted"
    client.force_login(users["reviewer"])
    queue = client.get(url("review_queue")).content.decode()
    assert 'data-goal="2.9" data-code="MS"' in queue
    empty_comment = client.post(
        goal_url("2.9", "request_changes"), {"version": version, "comment": ""}, follow=True
    )
    assert "the comment is required" in empty_comment.content.decode()
    client.post(goal_url("2.9", "request_changes"), {"version": version, "comment": "Cite (8)."})
    assert determination("2.9").review_state == "draft"
    client.force_login(users["analyst"])
    page = client.get(goal_url("2.9")).content.decode()
    assert "reviewer requested changes" in page and "Cite (8)." in page
    client.post(goal_url("2.9"), editor_post("2.9", narrative="Now cites (8)."))
    client.post(goal_url("2.9", "submit"), {"version": determination("2.9").version})
    client.force_login(users["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            goal_url("2.9", "approve"), {"version": determination("2.9").version}, follow=True
        )
    assert "approved; scores will update" in response.content.decode()
    assert determination("2.9").review_state == "approved"
    home = client.get(reverse("home")).content.decode()
    row = re.search(r'<tr data-code="MS">(.*?)</tr>', home, re.S).group(1)
    assert ">68.75<" in row


def test_it_shows_versions_reasons_and_reviews_on_the_history_page(client, users):
    client.force_login(users["analyst"])
    client.post(goal_url("2.9"), editor_post("2.9", points="2.25", change_reason="New statute"))
    client.post(goal_url("2.9", "submit"), {"version": determination("2.9").version})
    html = client.get(goal_url("2.9", "determination_history")).content.decode()
    assert "Reason:</span> New statute" in html
    assert "<del>2.00</del> → <ins>2.25</ins>" in html
    assert "submitted (version" in html
    assert "by analyst" in html


def test_it_paginates_the_assessment_history(analyst_client):
    response = analyst_client.get(url("history", *MS))
    assert response.status_code == 200
    assert "Page 1 of" in response.content.decode()


def test_it_previews_markdown_without_letting_scripts_through(analyst_client):
    response = analyst_client.post(
        url("preview"), {"narrative": "**Bold** <script>alert(1)</script> [^3]"}
    )
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html and "<sup>3</sup>" in html
    assert "<script>" not in html


def test_it_says_in_the_review_queue_what_changed_since_approval(client, users):
    client.force_login(users["analyst"])
    data = editor_post("2.9", points="2.25", narrative="New words.", change_reason="Update")
    client.post(goal_url("2.9"), data)
    client.post(goal_url("2.9", "submit"), {"version": determination("2.9").version})
    client.force_login(users["reviewer"])
    queue = BeautifulSoup(client.get(url("review_queue")).content, "html.parser")
    row = queue.find("tr", attrs={"data-goal": "2.9", "data-code": "MS"}).get_text(" ")
    assert "score: partially" in row and "narrative changed" in row


def test_it_keeps_the_review_queue_query_count_flat(client, users, django_assert_max_num_queries):
    client.force_login(users["reviewer"])
    GoalDetermination.objects.filter(assessment__jurisdiction__code="MS").update(
        review_state="submitted"
    )
    with django_assert_max_num_queries(12):
        client.get(url("review_queue"))
    GoalDetermination.objects.filter(assessment__cycle__year=2023).update(review_state="submitted")
    with django_assert_max_num_queries(12):
        client.get(url("review_queue"))


def test_it_saves_state_texts_and_detects_a_concurrent_edit(analyst_client):
    page = analyst_client.get(url("texts", *MS)).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    form = {
        "version": version,
        "highlights": "First.\nSecond.",
        "safe_harbor_status": "S",
        "safe_harbor_summary": "T",
    }
    assert analyst_client.post(url("texts", *MS), form).status_code == 302
    stale = analyst_client.post(url("texts", *MS), {**form, "highlights": "Mine."})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Someone else saved these texts" in html and "Mine." in html
    assert f'name="version" value="{int(version) + 1}"' in html  # based on theirs now


def test_it_explains_a_review_form_without_its_version_and_changes_nothing(client, users):
    client.force_login(users["reviewer"])
    response = client.post(goal_url("2.9", "approve"), {}, follow=True)
    assert response.redirect_chain[-1][0] == goal_url("2.9")
    assert "missing its version" in response.content.decode()
    assert determination("2.9").review_state == "approved"
