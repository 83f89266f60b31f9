"""Opening a new cycle from the previous one, and comparing two cycles goal by goal.

The small world's 2023 cycle (Mississippi and Tennessee, three goals each) is copied into
2024: 2 assessments and 6 determinations.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.approvals import approvals_record
from assessments.cycles import cycle_create_from_previous
from assessments.models import Assessment, Cycle, GoalDetermination, ScoreSnapshot
from assessments.recompute import cycle_recompute
from assessments.services import WorkflowError
from tests.factories import AssessmentFactory, CitationFactory, DeterminationFactory
from tests.pages import messages, parsed, text

pytestmark = pytest.mark.django_db

# What a determination carries besides its own fields, by related name.
PARTS = ("citations", "footnotes", "tables", "recommendations", "insights", "extra_credit_awards")
TEXTS = ("highlights", "issue_summaries", "safe_harbor_summary", "synthetic")


@pytest.fixture
def previous(world):
    """2023 as the analysts left it: Mississippi's state texts and appendix, its goal 1.1
    approved as fully met with one of each part (and the child-labor point), scored."""
    Assessment.objects.filter(pk=world.assessments["MS"].pk).update(
        highlights=["Safe harbor enacted."],
        issue_summaries={"1": "Strong criminal provisions."},
        safe_harbor_summary="Minors are not prosecuted for prostitution.",
    )
    Assessment.objects.filter(pk=world.assessments["TN"].pk).update(synthetic=True)
    goal = world.determination("MS", "1.1")
    citation = CitationFactory(determination=goal)
    world.assessments["MS"].appendix.create(group="trafficking", statute=citation.statute)
    goal.footnotes.create(label="1", text="In force since July 1, 2023.")
    goal.tables.create(title="Penalties", columns=["Offense"], rows=[["Trafficking a minor"]])
    goal.recommendations.create(text="Extend the safe harbor to 18+ youth.")
    goal.insights.create(quote="Services came first.", attribution="An advocate")
    goal.extra_credit_awards.create(category=world.clt, points=1)
    world.approve("MS", "1.1")
    cycle_recompute(cycle_id=world.cycle.id)
    return world


@pytest.fixture
def cycle_2024(previous):
    return cycle_create_from_previous(year=2024, user=previous.users["admin"]).cycle


def ms_goal(year, number="1.1"):
    return GoalDetermination.objects.get(
        assessment__jurisdiction__code="MS", assessment__cycle__year=year, goal__number=number
    )


def ms_score(year):
    return ScoreSnapshot.objects.get(cycle__year=year, jurisdiction__code="MS")


def parts(determination) -> dict[str, list[dict]]:
    """Each part's rows as stored, in order, without what ties them to one determination
    or numbers them."""
    return {
        name: [
            {k: v for k, v in row.items() if k not in ("id", "determination_id", "position")}
            for row in getattr(determination, name).values()
        ]
        for name in PARTS
    }


# The service


def test_it_copies_every_assessment_and_determination_as_drafts(world):
    result = cycle_create_from_previous(year=2024, user=world.users["admin"])
    assert (result.assessments, result.determinations) == (2, 6)
    copies = GoalDetermination.objects.filter(assessment__cycle=result.cycle)
    assert set(copies.values_list("review_state", "approved", "version", "last_edited_by")) == {
        ("draft", None, 1, world.users["admin"].pk)
    }


def test_it_follows_the_previous_cycle_with_its_framework_and_a_cutoff_a_year_later(world):
    new = cycle_create_from_previous(year=2024, user=world.users["admin"]).cycle
    assert (new.previous, new.framework) == (world.cycle, world.framework)
    assert new.legislative_cutoff == datetime.date(2024, 7, 1)


def test_it_takes_the_default_cutoff_from_the_frameworks_rule_in_the_new_year(world):
    world.framework.cutoff_month, world.framework.cutoff_day = 6, 30
    world.framework.save()
    new = cycle_create_from_previous(year=2026, user=world.users["admin"]).cycle
    assert new.legislative_cutoff == datetime.date(2026, 6, 30)


def test_it_leaves_the_previous_cycle_approved(previous, cycle_2024):
    assert ms_goal(2023).review_state == "approved"


def test_it_copies_status_points_narrative_and_every_part(cycle_2024):
    original, copy = ms_goal(2023), ms_goal(2024)
    assert (copy.status, copy.points, copy.narrative) == (
        original.status,
        original.points,
        original.narrative,
    )
    assert all(parts(original).values())
    assert parts(copy) == parts(original)


def test_it_copies_the_last_approved_version_not_a_newer_draft(previous):
    goal = ms_goal(2023)
    approved = parts(goal)
    GoalDetermination.objects.filter(pk=goal.pk).update(
        narrative="UNREVIEWED DRAFT", status="not_met", points=0, review_state="draft"
    )
    goal.citations.update(quote="An unreviewed quote.")
    goal.recommendations.all().delete()
    cycle = cycle_create_from_previous(year=2024, user=previous.users["admin"]).cycle
    copy = ms_goal(2024)
    assert copy.assessment.cycle == cycle
    assert (copy.status, copy.points, copy.narrative) == (
        goal.approved.status,
        goal.approved.points,
        goal.approved.document["narrative"],
    )
    assert copy.narrative != "UNREVIEWED DRAFT"
    assert parts(copy) == approved


def test_it_starts_a_goal_never_approved_blank(cycle_2024):
    never_approved = ms_goal(2023, "1.2")
    assert never_approved.approved_id is None
    copy = ms_goal(2024, "1.2")
    assert (copy.status, copy.points, copy.narrative) == ("not_met", D("0"), "")
    assert not any(parts(copy).values())


def test_it_copies_the_state_texts_and_appendix(cycle_2024):
    for code in ("MS", "TN"):
        original = Assessment.objects.filter(cycle__year=2023, jurisdiction__code=code)
        copy = Assessment.objects.filter(cycle=cycle_2024, jurisdiction__code=code)
        assert copy.values(*TEXTS).get() == original.values(*TEXTS).get()
        assert list(copy.values_list("appendix__statute", "appendix__group")) == list(
            original.values_list("appendix__statute", "appendix__group")
        )


def test_it_records_the_copy_in_the_history(world, cycle_2024):
    record = ms_goal(2024).history.get()
    assert (record.history_user, record.history_change_reason) == (
        world.users["admin"],
        "Copied from 2023",
    )
    citation = ms_goal(2024).citations.get()
    assert citation.history.get().history_change_reason == "Copied from 2023"


def add_jurisdiction(world, cycle, code):
    assessment = AssessmentFactory(cycle=cycle, jurisdiction__code=code)
    for goal in world.goals.values():
        DeterminationFactory(assessment=assessment, goal=goal)


def copy_queries(year, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        cycle_create_from_previous(year=year, user=user)
    return len(queries)


def test_it_copies_in_bulk_in_as_many_queries_for_more_jurisdictions(world):
    two_jurisdictions = copy_queries(2024, world.users["admin"])
    add_jurisdiction(world, Cycle.objects.get(year=2024), "AL")
    assert copy_queries(2025, world.users["admin"]) == two_jurisdictions


def test_it_marks_the_new_cycles_scores_stale_and_queues_a_recompute(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        new = cycle_create_from_previous(year=2024, user=world.users["admin"]).cycle
    assert new.score_state.stale and new.score_state.stale_since is not None
    assert len(callbacks) == 1


def test_it_scores_nothing_until_the_copies_are_approved(cycle_2024):
    snapshots = cycle_recompute(cycle_id=cycle_2024.id)
    assert {snapshot.total for snapshot in snapshots} == {D("0")}
    assert (ms_score(2024).change, ms_score(2024).approved_goals) == (D("-3.5"), 0)


def test_it_gives_mississippi_its_2023_score_once_the_copies_are_approved(previous, cycle_2024):
    copies = list(GoalDetermination.objects.filter(assessment__cycle=cycle_2024))
    approvals_record(copies, user=previous.users["reviewer"])
    GoalDetermination.objects.bulk_update(copies, ["approved", "review_state"])
    cycle_recompute(cycle_id=cycle_2024.id)
    ms = ms_score(2024)
    assert (ms.total, ms.grade, ms.change, ms.rank) == (D("3.5"), "F", D("0"), 1)
    assert ms.extra_credit["clt"] == ms_score(2023).extra_credit["clt"]


def test_it_refuses_a_year_that_already_exists(world):
    with pytest.raises(WorkflowError, match="There is already a 2023 cycle; nothing was copied"):
        cycle_create_from_previous(year=2023, user=world.users["admin"])


@pytest.mark.parametrize(
    ("year", "previous_year", "refusal"),
    [
        (2025, 2023, "2023 cycle already has a next cycle \\(2024\\)"),
        (2022, 2024, "2022 is not after 2024"),
        (2026, 2019, "no 2019 cycle to copy from"),
    ],
)
def test_it_refuses_to_copy_a_cycle_twice_backwards_or_from_nothing(
    world, cycle_2024, year, previous_year, refusal
):
    with pytest.raises(WorkflowError, match=refusal):
        cycle_create_from_previous(
            year=year, user=world.users["admin"], previous_year=previous_year
        )
    assert not Cycle.objects.filter(year=year).exists()


def test_it_takes_a_cutoff_and_copies_the_latest_cycle_by_default(world, cycle_2024):
    new = cycle_create_from_previous(
        year=2025, user=world.users["admin"], legislative_cutoff=datetime.date(2025, 6, 30)
    ).cycle
    assert (new.previous, new.legislative_cutoff) == (cycle_2024, datetime.date(2025, 6, 30))


@pytest.mark.parametrize("role", ["analyst", "reviewer", "publisher"])
def test_it_lets_only_admins_open_a_cycle(world, role):
    with pytest.raises(PermissionDenied):
        cycle_create_from_previous(year=2024, user=world.users[role])
    assert not Cycle.objects.filter(year=2024).exists()


# The page and the command


def new_cycle_form(response):
    return parsed(response).select_one("form#new-cycle")


def test_it_offers_admins_the_next_year_and_says_how_many_assessments_it_copies(client, world):
    client.force_login(world.users["admin"])
    form = new_cycle_form(client.get(reverse("assessments:cycle_new")))
    assert form.select_one("input[name=year]")["value"] == "2024"
    confirm = text(form.select_one("label[for=id_confirm]"))
    assert confirm.startswith("Copy all 2 assessments as drafts")


def test_it_opens_a_cycle_from_the_form_and_says_what_it_copied(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        reverse("assessments:cycle_new"),
        {"year": "2024", "previous": "2023", "legislative_cutoff": "2024-07-01", "confirm": "on"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("assessments:list", args=[2024])
    assert messages(response)[0].startswith(
        "Opened the 2024 cycle (cutoff July 1, 2024): copied 2 assessments and 6 goal "
        "determinations from 2023 as drafts."
    )


def test_it_copies_nothing_without_the_confirmation(client, world):
    client.force_login(world.users["admin"])
    response = client.post(reverse("assessments:cycle_new"), {"year": "2024", "previous": "2023"})
    assert response.status_code == 400
    assert "This field is required." in text(new_cycle_form(response))
    assert not Cycle.objects.filter(year=2024).exists()


def test_it_explains_a_refused_year_on_the_form(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        reverse("assessments:cycle_new"), {"year": "2023", "previous": "2023", "confirm": "on"}
    )
    assert response.status_code == 400
    error = new_cycle_form(response).select_one(".alert-danger")
    assert text(error) == "There is already a 2023 cycle; nothing was copied."


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ["analyst", "reviewer", "publisher"])
def test_it_forbids_the_new_cycle_page_to_non_admins(client, world, role, method):
    client.force_login(world.users[role])
    data = {"year": "2024", "previous": "2023", "confirm": "on"}
    response = getattr(client, method)(reverse("assessments:cycle_new"), data)
    assert response.status_code == 403
    assert not Cycle.objects.filter(year=2024).exists()


def test_it_opens_a_cycle_from_the_command_line(world, capsys):
    call_command("new_cycle", "2024", "--from", "2023", "--user", "admin")
    out = capsys.readouterr().out
    assert "Opened the 2024 cycle from 2023 (cutoff 2024-07-01)" in out
    assert "copied 2 assessments and 6 determinations as drafts" in out
    assert Cycle.objects.get(year=2024).previous == world.cycle


@pytest.mark.parametrize(
    ("arguments", "refusal"),
    [
        (["2023", "--user", "admin"], "There is already a 2023 cycle"),
        (["2024", "--user", "analyst"], "Only an admin"),
        (["2024", "--user", "nobody"], "There is no user “nobody”"),
        (["2024", "--user", "admin", "--cutoff", "July"], "not a date"),
    ],
)
def test_its_command_explains_what_it_refuses(world, arguments, refusal):
    with pytest.raises(CommandError, match=refusal):
        call_command("new_cycle", *arguments)
    assert not Cycle.objects.filter(year=2024).exists()


# Comparing two cycles


def compare_page(client, *args):
    response = client.get(reverse("assessments:compare", args=args))
    assert response.status_code == 200
    return parsed(response)


def cells(page, number) -> list[str]:
    return [text(cell) for cell in page.select(f'tr[data-goal="{number}"] td')]


@pytest.fixture
def goal_changed(cycle_2024):
    """Mississippi's goal 1.1, fully met in 2023, found not met in the 2024 copy."""
    GoalDetermination.objects.filter(pk=ms_goal(2024).pk).update(status="not_met", points=0)


def test_it_marks_a_changed_goal_with_both_years_status_and_points(client, world, goal_changed):
    client.force_login(world.users["reviewer"])
    page = compare_page(client, "MS", 2023, 2024)
    number, goal, status_2023, points_2023, status_2024, points_2024, mark = cells(page, "1.1")
    assert "Fully met" in status_2023 and "Not met" in status_2024
    assert (points_2023, points_2024, mark) == ("2.5", "0", "changed")
    assert cells(page, "1.2")[-1] == ""


def test_it_links_a_changed_goal_to_both_years(client, world, goal_changed):
    client.force_login(world.users["reviewer"])
    row = compare_page(client, "MS", 2023, 2024).select_one('tr[data-goal="1.1"]')
    assert [link["href"] for link in row.select("a")] == [
        reverse("assessments:determination", args=["MS", 2023, "1.1"]),
        reverse("assessments:determination", args=["MS", 2024, "1.1"]),
    ]


def test_it_counts_the_changed_goals_and_totals_each_issue(client, world, goal_changed):
    client.force_login(world.users["reviewer"])
    page = compare_page(client, "MS", 2023, 2024)
    assert text(page.select_one("#compare-summary")).startswith("1 of 3 goals changed.")
    totals = text(page.select_one('[data-issue-totals="1"]'))
    assert "2023: 2.5 / 5" in totals and "2024: 0 / 5" in totals


def test_it_shows_no_changes_between_a_cycle_and_its_copy(client, world, cycle_2024):
    client.force_login(world.users["analyst"])
    page = compare_page(client, "MS", 2023, 2024)
    assert text(page.select_one("#compare-summary")).startswith("0 of 3 goals changed.")
    assert not page.select("tr.row-changed")


@pytest.mark.parametrize("args", [("MS", 2023, 1999), ("MS", 1999, 2023), ("ZZ", 2023, 2023)])
def test_it_answers_404_for_a_missing_cycle_or_assessment(client, world, args):
    client.force_login(world.users["analyst"])
    assert client.get(reverse("assessments:compare", args=args)).status_code == 404


def test_its_query_count_does_not_grow_with_goals(client, world, cycle_2024):
    client.force_login(world.users["analyst"])
    url = reverse("assessments:compare", args=["MS", 2023, 2024])
    with CaptureQueriesContext(connection) as all_goals:
        assert client.get(url).status_code == 200
    GoalDetermination.objects.filter(goal__number="1.2").delete()
    with CaptureQueriesContext(connection) as fewer_goals:
        assert client.get(url).status_code == 200
    assert len(all_goals) == len(fewer_goals) <= 8


def test_it_refuses_a_cutoff_not_after_the_previous_cycles(world):
    with pytest.raises(WorkflowError, match="must be after the 2023 cycle's \\(July 1, 2023\\)"):
        cycle_create_from_previous(
            year=2024, user=world.users["admin"], legislative_cutoff=datetime.date(2023, 7, 1)
        )
    assert not Cycle.objects.filter(year=2024).exists()


def test_it_refuses_an_earlier_cutoff_in_the_admin_too(world, cycle_2024):
    cycle_2024.legislative_cutoff = datetime.date(2023, 1, 1)
    with pytest.raises(ValidationError, match="must be after the 2023 cycle's"):
        cycle_2024.full_clean()
