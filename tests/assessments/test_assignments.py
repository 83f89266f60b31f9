"""Assignments: the CSV command, the cycle's assignments page (bulk form and CSV upload),
one validator for all of them, history of every reassignment, done and overdue."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.assignments import cycle_assignments
from assessments.models import Assignment
from core.limits import FILE_MAX_BYTES
from tests.factories import AssessmentFactory, DeterminationFactory, JurisdictionFactory
from tests.pages import parsed, text

pytestmark = pytest.mark.django_db

GOOD = (
    "jurisdiction,analyst,reviewer,due\n"
    "MS,analyst,reviewer,2023-05-01\n"
    "TN,analyst,reviewer,2023-06-01\n"
)
BAD = (
    "jurisdiction,analyst,reviewer,due,goal\n"
    "MS,analyst,reviewer,2023-05-01,\n"
    "ZZ,analyst,reviewer,2023-05-01,\n"
    "TN,reviewer,analyst,someday,\n"
    "TN,analyst,reviewer,2023-05-01,9.9\n"
    "MS,analyst,reviewer,2023-05-02,\n"
)
BAD_PROBLEMS = [
    "Row 3: no assessment of “ZZ” in this cycle.",
    "Row 4: reviewer is not an analyst.",
    "Row 4: analyst is not a reviewer.",
    "Row 4: due “someday” is not a date written YYYY-MM-DD.",
    "Row 5: goal “9.9” is not a goal of this cycle's framework.",
    "Row 6: MS is assigned again (first in row 2).",
]


def assign_work(tmp_path, content, *args):
    path = tmp_path / "work.csv"
    path.write_text(content, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("assign_work", "2023", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def assigned(world):
    return {
        (a.jurisdiction.code, a.goal.number if a.goal else None): (
            a.analyst.username,
            a.reviewer.username,
            a.due.isoformat(),
        )
        for a in Assignment.objects.filter(cycle=world.cycle).select_related(
            "jurisdiction", "goal", "analyst", "reviewer"
        )
    }


def test_the_command_assigns_each_jurisdiction_and_a_row_replaces_the_earlier_one(world, tmp_path):
    out, _ = assign_work(tmp_path, GOOD)
    assert "Assigned 2 row(s)" in out
    # admins hold every role, so one may review
    assign_work(tmp_path, "jurisdiction,analyst,reviewer,due\nMS,analyst,admin,2023-05-15\n")
    assert assigned(world) == {
        ("MS", None): ("analyst", "admin", "2023-05-15"),
        ("TN", None): ("analyst", "reviewer", "2023-06-01"),
    }
    mississippi = Assignment.objects.get(jurisdiction__code="MS")
    reviewers = [h.reviewer.username for h in mississippi.history.order_by("history_date")]
    assert reviewers == ["reviewer", "admin"]  # the reassignment is kept


def test_the_command_assigns_a_single_goal_beside_its_jurisdiction(world, tmp_path):
    assign_work(
        tmp_path,
        "jurisdiction,goal,analyst,reviewer,due\n"
        "MS,,analyst,reviewer,2023-05-01\nMS,2.1,admin,reviewer,2023-04-01\n",
    )
    assert assigned(world) == {
        ("MS", None): ("analyst", "reviewer", "2023-05-01"),
        ("MS", "2.1"): ("admin", "reviewer", "2023-04-01"),
    }


def test_the_command_lists_every_problem_with_its_row_and_changes_nothing(world, tmp_path):
    assign_work(tmp_path, GOOD)
    before = assigned(world)
    with pytest.raises(CommandError, match="6 problem"):
        assign_work(tmp_path, BAD)
    assert assigned(world) == before


def test_the_command_names_the_problems_on_standard_error(world, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("assign_work", "2023", str(path), stderr=err)
    assert err.getvalue().splitlines() == [f"error: {p}" for p in BAD_PROBLEMS]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("jurisdiction,analyst,due\nMS,analyst,2023-05-01\n", "lacks the column(s) reviewer"),
        ("jurisdiction,analyst,reviewer,due,owner\n", "unknown column(s) 'owner'"),
        ("jurisdiction,analyst,reviewer,due\n", "nothing to assign"),
        ("jurisdiction,analyst,reviewer,due\nMS,ghost,reviewer,2023-05-01\n", "no active user"),
        ("jurisdiction,analyst,reviewer,due\nMS,analyst,analyst,2023-05-01\n", "their own work"),
    ],
)
def test_the_command_refuses_a_bad_file_in_words(world, tmp_path, content, problem):
    with pytest.raises(CommandError):
        path = tmp_path / "x.csv"
        path.write_text(content, encoding="utf-8")
        err = io.StringIO()
        try:
            call_command("assign_work", "2023", str(path), stderr=err)
        finally:
            assert problem in err.getvalue()
    assert not Assignment.objects.exists()


def test_the_command_refuses_an_unknown_cycle_and_a_user_who_may_not_assign(world, tmp_path):
    path = tmp_path / "work.csv"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(CommandError, match="no 1999 cycle"):
        call_command("assign_work", "1999", str(path))
    with pytest.raises(CommandError, match="publisher or an admin"):
        call_command("assign_work", "2023", str(path), "--user", "analyst")
    assert not Assignment.objects.exists()


def page_url(world):
    return reverse("assessments:assignments", args=[world.cycle.year])


def test_a_publisher_assigns_jurisdictions_in_bulk(client, world):
    client.force_login(world.users["publisher"])
    response = client.post(
        page_url(world),
        {
            "jurisdiction": ["MS", "TN"],
            "analyst": "analyst",
            "reviewer": "reviewer",
            "due": "2023-05-01",
        },
        follow=True,
    )
    assert "Assigned 2 jurisdiction(s)" in text(parsed(response))
    rows = parsed(response).select("table[aria-label=Assignments] tbody tr")
    assert [row["data-code"] for row in rows] == ["MS", "TN"]
    assert [text(td) for td in rows[0].select("td")][:4] == [
        "State MS",
        "all",
        "analyst",
        "reviewer",
    ]
    history = Assignment.history.filter(jurisdiction__code="MS").first()
    assert history.history_user == world.users["publisher"]


def test_the_bulk_form_refuses_with_every_problem_and_keeps_the_choice(client, world):
    client.force_login(world.users["publisher"])
    response = client.post(
        page_url(world),
        {"jurisdiction": ["MS", "ZZ"], "analyst": "reviewer", "reviewer": "reviewer", "due": ""},
    )
    assert response.status_code == 400
    problems = [text(li) for li in parsed(response).select("#bulk-problems li")]
    assert problems == [
        "Reviewer is not an analyst.",
        "Reviewer cannot review their own work; choose another reviewer.",
        "Due “” is not a date written YYYY-MM-DD.",
        "No assessment of “ZZ” in this cycle.",
    ]
    assert parsed(response).select_one("#j-MS").has_attr("checked")
    assert not Assignment.objects.exists()


def test_the_page_imports_a_csv_through_the_same_validator_as_the_command(client, world):
    client.force_login(world.users["admin"])
    url = reverse("assessments:assignments_import", args=[2023])
    bad = SimpleUploadedFile("work.csv", BAD.encode(), content_type="text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert [text(li) for li in parsed(response).select("#import-problems li")] == BAD_PROBLEMS
    assert not Assignment.objects.exists()
    good = SimpleUploadedFile("work.csv", GOOD.encode(), content_type="text/csv")
    response = client.post(url, {"file": good}, follow=True)
    assert "Imported 2 assignment(s) from work.csv" in text(parsed(response))
    assert set(assigned(world)) == {("MS", None), ("TN", None)}


def test_the_page_refuses_a_file_that_is_not_utf8(client, world):
    client.force_login(world.users["admin"])
    url = reverse("assessments:assignments_import", args=[2023])
    response = client.post(url, {"file": SimpleUploadedFile("w.csv", b"\xff\xfe\x00j")})
    assert response.status_code == 400
    assert "not UTF-8" in text(parsed(response).select_one("#import-problems"))


def test_an_assignment_is_done_when_every_goal_it_covers_is_approved_and_overdue_before(
    client, world, tmp_path
):
    assign_work(
        tmp_path,
        "jurisdiction,goal,analyst,reviewer,due\n"
        "MS,,analyst,reviewer,2023-05-01\nMS,2.1,analyst,reviewer,2023-05-01\n"
        "TN,,analyst,reviewer,2099-01-01\n",
    )
    world.approve("MS", "1.1")
    world.approve("MS", "1.2")  # the jurisdiction's own goals; 2.1 is assigned on its own
    rows = {
        (a.jurisdiction.code, a.goal_id is not None): (a.open_goals, a.overdue)
        for a in cycle_assignments(world.cycle, today=datetime.date(2023, 6, 1))
    }
    assert rows == {
        ("MS", False): (0, False),  # done
        ("MS", True): (1, True),  # 2.1 still a draft after its due date
        ("TN", False): (3, False),  # not due yet
    }


def test_the_list_sorts_by_due_date(client, world, tmp_path):
    assign_work(
        tmp_path,
        "jurisdiction,analyst,reviewer,due\nMS,analyst,reviewer,2023-09-01\n"
        "TN,analyst,reviewer,2023-05-01\n",
    )
    client.force_login(world.users["publisher"])
    page = parsed(client.get(page_url(world), {"sort": "due"}))
    rows = page.select("table[aria-label=Assignments] tbody tr")
    assert [row["data-code"] for row in rows] == ["TN", "MS"]
    assert page.select_one("th[aria-sort=ascending]").get_text(strip=True) == "Due"


def test_the_page_costs_the_same_queries_with_more_jurisdictions_assigned(client, world, tmp_path):
    def grow(codes):
        for code in codes:
            assessment = AssessmentFactory(
                jurisdiction=JurisdictionFactory(code=code), cycle=world.cycle
            )
            for goal in world.goals.values():
                DeterminationFactory(assessment=assessment, goal=goal)
        rows = "".join(f"{code},analyst,reviewer,2023-05-01\n" for code in ["MS", "TN", *codes])
        assign_work(tmp_path, "jurisdiction,analyst,reviewer,due\n" + rows)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(world)).status_code == 200
        return len(captured)

    client.force_login(world.users["publisher"])
    grow([])
    few = queries()
    grow(["AL", "AK", "AZ", "AR"])
    assert queries() == few


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "jurisdiction,analyst,reviewer,due\nMS,ana\x00lyst,reviewer,2023-05-01\n",
            "Row 2: there is no active user “ana\ufffdlyst” (analyst).",
        ),
        (
            "jurisdiction,analyst,reviewer,due\n"
            + "x" * 200_000
            + ",analyst,reviewer,2023-05-01\n",
            "Line 2: not readable as CSV (field larger than field limit",
        ),
        (
            "jurisdiction,analyst,reviewer,due\n" + "Z" * 5000 + ",analyst,reviewer,2023-05-01\n",
            "no assessment of “" + "Z" * 40 + "…” in this cycle.",
        ),
    ],
)
def test_the_command_refuses_unreadable_csv_and_quotes_long_values_short(
    world, tmp_path, content, problem
):
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("assign_work", "2023", str(path), stderr=err)
    assert problem in err.getvalue()
    assert not Assignment.objects.exists()


def test_the_page_refuses_a_file_over_the_limit_without_reading_it_all(client, world):
    client.force_login(world.users["admin"])
    url = reverse("assessments:assignments_import", args=[2023])
    big = SimpleUploadedFile("w.csv", b"x" * (FILE_MAX_BYTES + 100))
    response = client.post(url, {"file": big})
    assert response.status_code == 400
    assert "larger than 5,242,880 bytes" in text(parsed(response).select_one("#import-problems"))
