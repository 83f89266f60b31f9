"""Opening a new cycle from the previous one, and comparing two cycles goal by goal."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.cycles import cycle_create_from_previous
from assessments.models import (
    AppendixEntry,
    Assessment,
    Citation,
    Cycle,
    CycleScoreState,
    DeterminationTable,
    ExtraCreditAward,
    Footnote,
    GoalDetermination,
    Insight,
    Recommendation,
    ScoreSnapshot,
)
from assessments.recompute import cycle_recompute
from assessments.services import WorkflowError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]

CHILDREN = (Citation, Footnote, DeterminationTable, Recommendation, Insight, ExtraCreditAward)


@pytest.fixture
def cycle_2024(cycle, users):
    return cycle_create_from_previous(year=2024, user=users["admin"]).cycle


def ms_goal(year, number):
    return GoalDetermination.objects.get(
        assessment__jurisdiction__code="MS", assessment__cycle__year=year, goal__number=number
    )


def snapshot(cycle, code):
    return ScoreSnapshot.objects.get(cycle=cycle, jurisdiction__code=code)


# The service


def test_it_copies_every_assessment_and_determination_as_drafts(cycle, users):
    result = cycle_create_from_previous(year=2024, user=users["admin"])
    new = result.cycle
    assert (result.assessments, result.determinations) == (51, 51 * 40)
    assert new.previous == cycle
    assert new.framework_id == cycle.framework_id
    assert new.legislative_cutoff == datetime.date(2024, 7, 1)
    copies = GoalDetermination.objects.filter(assessment__cycle=new)
    assert copies.count() == 2040
    assert set(copies.values_list("review_state", flat=True)) == {"draft"}
    assert set(copies.values_list("approved_version", flat=True)) == {None}
    assert set(copies.values_list("version", flat=True)) == {1}
    assert set(copies.values_list("last_edited_by__username", flat=True)) == {"admin"}
    # The 2023 originals are untouched.
    originals = GoalDetermination.objects.filter(assessment__cycle=cycle)
    assert originals.filter(review_state="approved").count() >= 2039


def test_it_copies_texts_citations_footnotes_tables_recommendations_insights_and_awards(
    cycle, cycle_2024
):
    for model in CHILDREN:
        old = model.objects.filter(determination__assessment__cycle=cycle).count()
        new = model.objects.filter(determination__assessment__cycle=cycle_2024).count()
        assert new == old > 0, model.__name__
    assert (
        AppendixEntry.objects.filter(assessment__cycle=cycle_2024).count()
        == AppendixEntry.objects.filter(assessment__cycle=cycle).count()
    )
    old_ms = Assessment.objects.get(cycle=cycle, jurisdiction__code="MS")
    new_ms = Assessment.objects.get(cycle=cycle_2024, jurisdiction__code="MS")
    assert new_ms.highlights == old_ms.highlights
    assert new_ms.issue_summaries == old_ms.issue_summaries
    assert new_ms.safe_harbor_summary == old_ms.safe_harbor_summary
    assert new_ms.synthetic is False
    assert Assessment.objects.get(cycle=cycle_2024, jurisdiction__code="TN").synthetic

    for number in ("3.2", "1.1"):
        old, new = ms_goal(2023, number), ms_goal(2024, number)
        assert (new.status, new.points, new.narrative) == (old.status, old.points, old.narrative)
        assert list(new.citations.values_list("statute_id", "pinpoint", "quote")) == list(
            old.citations.values_list("statute_id", "pinpoint", "quote")
        )
        assert list(new.recommendations.values_list("text", flat=True)) == list(
            old.recommendations.values_list("text", flat=True)
        )
    awarded = ExtraCreditAward.objects.filter(determination__assessment=new_ms).values_list(
        "determination__goal__number", "category__code", "points"
    )
    assert sorted(awarded) == sorted(
        ExtraCreditAward.objects.filter(determination__assessment=old_ms).values_list(
            "determination__goal__number", "category__code", "points"
        )
    )


def test_it_records_the_copy_in_the_history(cycle_2024, users):
    record = ms_goal(2024, "3.2").history.get()
    assert record.history_user == users["admin"]
    assert record.history_change_reason == "Copied from 2023"
    citation = Citation.objects.filter(determination=ms_goal(2024, "3.2")).first()
    assert citation.history.get().history_change_reason == "Copied from 2023"


def test_it_copies_in_bulk_not_row_by_row(cycle, users):
    with CaptureQueriesContext(connection) as queries:
        cycle_create_from_previous(year=2024, user=users["admin"])
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    # Bulk inserts in the backend's batches (SQLite binds at most 999 parameters per
    # query): about a hundred queries for ~10,000 rows and their history, not one per row.
    assert len(queries) < 150
    assert sum("goaldetermination" in sql for sql in inserts) < 2040 / 20


def test_it_marks_the_new_cycles_scores_stale_and_queues_a_recompute(
    cycle, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        new = cycle_create_from_previous(year=2024, user=users["admin"]).cycle
    state = CycleScoreState.objects.get(cycle=new)
    assert state.stale and state.stale_since is not None
    assert len(callbacks) == 1


def test_it_scores_nothing_until_the_copies_are_approved(cycle_2024):
    snapshots = cycle_recompute(cycle_id=cycle_2024.id)
    assert len(snapshots) == 51
    assert {s.total for s in snapshots} == {D("0")}
    ms = snapshot(cycle_2024, "MS")
    assert ms.change == D("-68.5")
    assert ms.approved_goals == 0


def test_it_gives_mississippi_its_2023_score_once_the_copies_are_approved(cycle_2024):
    GoalDetermination.objects.filter(
        assessment__cycle=cycle_2024, assessment__jurisdiction__code="MS"
    ).update(review_state="approved")
    cycle_recompute(cycle_id=cycle_2024.id)
    ms = snapshot(cycle_2024, "MS")
    assert (ms.total, ms.grade, ms.change) == (D("68.5"), "D", D("0"))
    assert [issue["score"] for issue in ms.issues] == [
        "16.00",
        "14.00",
        "9.00",
        "8.50",
        "8.00",
        "5.00",
    ]
    assert ms.extra_credit["total"] == "8.00"
    assert ms.rank == 1  # nobody else has anything approved yet


def test_it_refuses_a_year_that_already_exists(cycle, users):
    with pytest.raises(WorkflowError, match="There is already a 2023 cycle; nothing was copied"):
        cycle_create_from_previous(year=2023, user=users["admin"])


def test_it_refuses_to_copy_a_cycle_twice_or_backwards(cycle_2024, users):
    with pytest.raises(WorkflowError, match="2023 cycle already has a next cycle \\(2024\\)"):
        cycle_create_from_previous(year=2025, user=users["admin"], previous_year=2023)
    with pytest.raises(WorkflowError, match="2022 is not after 2024"):
        cycle_create_from_previous(year=2022, user=users["admin"], previous_year=2024)
    with pytest.raises(WorkflowError, match="no 2019 cycle to copy from"):
        cycle_create_from_previous(year=2026, user=users["admin"], previous_year=2019)
    assert not Cycle.objects.filter(year__in=[2022, 2025, 2026]).exists()


def test_it_takes_a_cutoff_and_copies_the_latest_cycle_by_default(cycle_2024, users):
    new = cycle_create_from_previous(
        year=2025, user=users["admin"], legislative_cutoff=datetime.date(2025, 6, 30)
    ).cycle
    assert new.previous == cycle_2024
    assert new.legislative_cutoff == datetime.date(2025, 6, 30)


@pytest.mark.parametrize("role", ["analyst", "reviewer", "publisher"])
def test_it_lets_only_admins_open_a_cycle(cycle, users, role):
    with pytest.raises(PermissionDenied):
        cycle_create_from_previous(year=2024, user=users[role])
    assert not Cycle.objects.filter(year=2024).exists()


# The page and the command


def test_it_shows_the_new_cycle_form_to_admins(client, users, cycle):
    client.force_login(users["admin"])
    response = client.get(reverse("assessments:cycle_new"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Copy all 51 assessments as drafts" in html
    assert 'name="year" value="2024"' in html


def test_it_opens_a_cycle_from_the_form_with_a_clear_message(client, users, cycle):
    client.force_login(users["admin"])
    response = client.post(
        reverse("assessments:cycle_new"),
        {"year": "2024", "previous": "2023", "legislative_cutoff": "2024-07-01", "confirm": "on"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("assessments:list", args=[2024])
    html = response.content.decode()
    assert (
        "Opened the 2024 cycle (cutoff July 1, 2024): copied 51 assessments and 2040 goal "
        "determinations from 2023 as drafts." in html
    )
    assert GoalDetermination.objects.filter(assessment__cycle__year=2024).count() == 2040


def test_it_copies_nothing_without_the_confirmation(client, users, cycle):
    client.force_login(users["admin"])
    response = client.post(reverse("assessments:cycle_new"), {"year": "2024", "previous": "2023"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Cycle.objects.filter(year=2024).exists()


def test_it_explains_a_refused_year_on_the_form(client, users, cycle):
    client.force_login(users["admin"])
    response = client.post(
        reverse("assessments:cycle_new"), {"year": "2023", "previous": "2023", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "There is already a 2023 cycle; nothing was copied." in response.content.decode()


@pytest.mark.parametrize("role", ["analyst", "reviewer", "publisher"])
def test_it_forbids_the_new_cycle_page_to_non_admins(client, users, cycle, role):
    client.force_login(users[role])
    url = reverse("assessments:cycle_new")
    assert client.get(url).status_code == 403
    data = {"year": "2024", "previous": "2023", "confirm": "on"}
    assert client.post(url, data).status_code == 403
    assert not Cycle.objects.filter(year=2024).exists()


def test_it_opens_a_cycle_from_the_command_line(cycle, users, capsys):
    call_command("new_cycle", "2024", "--from", "2023", "--user", "admin")
    out = capsys.readouterr().out
    assert "Opened the 2024 cycle from 2023 (cutoff 2024-07-01)" in out
    assert "copied 51 assessments and 2040 determinations as drafts" in out
    assert Cycle.objects.get(year=2024).previous == cycle


def test_its_command_explains_what_it_refuses(cycle, users):
    with pytest.raises(CommandError, match="There is already a 2023 cycle"):
        call_command("new_cycle", "2023", "--user", "admin")
    with pytest.raises(CommandError, match="Only an admin"):
        call_command("new_cycle", "2024", "--user", "analyst")
    with pytest.raises(CommandError, match="There is no user “nobody”"):
        call_command("new_cycle", "2024", "--user", "nobody")
    with pytest.raises(CommandError, match="not a date"):
        call_command("new_cycle", "2024", "--user", "admin", "--cutoff", "July")


# Comparing two cycles


def compare_page(client, *args):
    response = client.get(reverse("assessments:compare", args=args))
    assert response.status_code == 200
    return response.content.decode()


def goal_row(html, number):
    return re.search(rf'<tr data-goal="{re.escape(number)}"([^>]*)>(.*?)</tr>', html, re.S)


def test_it_compares_two_cycles_goal_by_goal(client, users, cycle_2024):
    GoalDetermination.objects.filter(pk=ms_goal(2024, "3.2").pk).update(
        status="not_met", points=D("0")
    )
    client.force_login(users["reviewer"])
    html = compare_page(client, "MS", 2023, 2024)
    changed = goal_row(html, "3.2")
    assert "row-changed" in changed.group(1)
    assert "Fully met" in changed.group(2) and "Not met" in changed.group(2)
    assert ">2.5<" in changed.group(2) and ">0<" in changed.group(2)
    assert reverse("assessments:determination", args=["MS", 2023, "3.2"]) in changed.group(2)
    assert reverse("assessments:determination", args=["MS", 2024, "3.2"]) in changed.group(2)
    assert "row-changed" not in goal_row(html, "3.1").group(1)
    assert re.search(r"<strong>1</strong> of 40 goals changed", html)
    totals = re.search(r'data-issue-totals="3">(.*?)</small>', html, re.S).group(1)
    assert "2023: 9 / 15" in totals and "2024: 6.5 / 15" in totals


def test_it_shows_no_changes_between_a_cycle_and_its_copy(client, users, cycle_2024):
    client.force_login(users["analyst"])
    html = compare_page(client, "MS", 2023, 2024)
    assert "row-changed" not in html
    assert re.search(r"<strong>0</strong> of 40 goals changed", html)


def test_it_answers_404_for_a_missing_cycle_or_assessment(client, users, cycle):
    client.force_login(users["analyst"])
    url = "assessments:compare"
    assert client.get(reverse(url, args=["MS", 2023, 1999])).status_code == 404
    assert client.get(reverse(url, args=["MS", 1999, 2023])).status_code == 404
    assert client.get(reverse(url, args=["ZZ", 2023, 2023])).status_code == 404


def test_its_query_count_does_not_grow_with_goals(client, users, cycle_2024):
    client.force_login(users["analyst"])
    url = reverse("assessments:compare", args=["MS", 2023, 2024])
    with CaptureQueriesContext(connection) as all_goals:
        assert client.get(url).status_code == 200
    GoalDetermination.objects.filter(
        assessment__jurisdiction__code="MS", goal__issue_area__number__gt=2
    ).delete()
    with CaptureQueriesContext(connection) as fewer_goals:
        assert client.get(url).status_code == 200
    assert len(all_goals) == len(fewer_goals) <= 8
