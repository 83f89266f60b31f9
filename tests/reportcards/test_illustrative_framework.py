"""A cycle on the second shipped framework (issue #13): the ILLUSTRATIVE ten goals of ten
points, no extra credit, A from 85 %, five places in Tier I and fifteen in Tier III. It is
scored, ranked and tiered by its own rules, printed as a PDF, exported, and its pages render,
as do those of the 2023-shaped small world.

Eight jurisdictions, every goal approved: Mississippi fully meets 9 goals (90 points, an A
on this scale), Tennessee 8, and so on down to Colorado with 2 (20 points)."""

import csv
import io
import json
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.frameworks import framework_file, framework_load
from assessments.models import ScoreSnapshot
from assessments.recompute import cycle_recompute
from reportcards import publishing
from reportcards.pdf import render_report_card
from tests.factories import world_on
from tests.pages import parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ILLUSTRATIVE = Path(__file__).resolve().parents[2] / "assessments/data/framework_illustrative.yaml"
CODES = ("MS", "TN", "AL", "AK", "AZ", "AR", "CA", "CO")
MET = dict(zip(CODES, range(9, 1, -1), strict=True))  # MS meets 9 goals … CO meets 2


@pytest.fixture
def ten_goals(db):
    framework = framework_load(framework_file(ILLUSTRATIVE)).framework
    world = world_on(framework, year=2025, codes=CODES)
    numbers = list(world.goals)
    for code, met in MET.items():
        for number in numbers[:met]:
            world.approve(code, number)
        for number in numbers[met:]:
            world.approve(code, number, "not_met")
        world.approve_texts(code)
    cycle_recompute(cycle_id=world.cycle.id)
    return world


def snapshot(code: str) -> ScoreSnapshot:
    return ScoreSnapshot.objects.get(jurisdiction__code=code, cycle__year=2025)


def test_it_scores_grades_ranks_and_tiers_by_the_frameworks_own_rules(ten_goals):
    rows = {
        code: (s.total, s.grade, s.rank, s.tier)
        for code, s in ((code, snapshot(code)) for code in CODES)
    }
    assert rows == {
        "MS": (D("90"), "A", 1, 1),  # A from 85 %
        "TN": (D("80"), "B", 2, 1),
        "AL": (D("70"), "B", 3, 1),  # B from 70 %
        "AK": (D("60"), "C", 4, 1),
        "AZ": (D("50"), "D", 5, 1),  # Tier I holds five places
        "AR": (D("40"), "D", 6, 3),  # fewer than fifteen below: Tier III
        "CA": (D("30"), "F", 7, 3),
        "CO": (D("20"), "F", 8, 3),
    }
    issue_one = snapshot("MS").issues[0]
    assert (issue_one["score"], issue_one["max"], issue_one["grade"]) == ("50.00", "50.00", "A")


def test_score_state_keeps_every_key_with_zero_extra_credit(ten_goals):
    out = io.StringIO()
    call_command("score_state", "MS", "2025", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["extra_credit"] == {"youth_18_plus": "0.00", "clt": "0.00", "total": "0.00"}
    assert (data["total"], data["grade"], data["rank"], data["tier"]) == ("90", "A", 1, 1)
    assert [issue["max"] for issue in data["issues"]] == ["50", "50"]


def test_what_if_uses_the_frameworks_tiers(ten_goals):
    out = io.StringIO()
    call_command("what_if", "CO", "2025", "--set", "2.5=fully_met", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["total"], data["grade"], data["tier"]) == ("30", "F", 3)
    assert data["extra_credit"]["total"] == "0.00"


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_it_prints_the_report_card_with_the_frameworks_scale_tiers_and_goals(ten_goals):
    printed = pdf_text(render_report_card(ten_goals.assessments["MS"], draft=False))
    assert "OVERALL GRADE A 90" in printed
    assert "TOP 5 SCORES" in printed and "BOTTOM 15 SCORES" in printed
    assert "A | 85-100" in printed and "F | <40" in printed
    assert "Extra credit:" not in printed
    assert "Placeholder text of illustrative goal 2.5 (not a Shared Hope goal)." in printed
    notice = "Illustrative framework (ILLUSTRATIVE ten-goal framework (example only)): an example"
    reader = pypdf.PdfReader(io.BytesIO(render_report_card(ten_goals.assessments["MS"])))
    assert all(notice in " ".join(page.extract_text().split()) for page in reader.pages)


def test_it_exports_the_cycle(ten_goals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = publishing.cycle_export_request(
            cycle_id=ten_goals.cycle.pk, user=ten_goals.users["publisher"]
        )
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    rows = list(csv.DictReader(archive.read("scores.csv").decode().splitlines()))
    # The columns follow the framework: its two issues, no extra-credit categories.
    header = list(rows[0])
    assert [name for name in header if name.startswith("issue_")] == [
        "issue_1",
        "issue_2",
        "issue_1_grade",
        "issue_2_grade",
    ]
    assert [name for name in header if name.startswith("extra_credit")] == ["extra_credit_total"]
    assert [(row["jurisdiction"], row["total"], row["grade"], row["tier"]) for row in rows] == [
        ("MS", "90", "A", "1"),
        ("TN", "80", "B", "1"),
        ("AL", "70", "B", "1"),
        ("AK", "60", "C", "1"),
        ("AZ", "50", "D", "1"),
        ("AR", "40", "D", "3"),
        ("CA", "30", "F", "3"),
        ("CO", "20", "F", "3"),
    ]
    exported = json.loads(archive.read("assessments.json"))
    assert {len(assessment["determinations"]) for assessment in exported} == {10}


# Pages on both shapes ------------------------------------------------------------------------


@pytest.fixture(params=["2023-shaped", "ten goals"])
def any_shape(request, db):
    """(world, year, a goal, Mississippi's published total as the overview shows it,
    whether the framework is labelled illustrative)."""
    if request.param == "ten goals":
        return request.getfixturevalue("ten_goals"), 2025, "2.5", "90 A", True
    world = request.getfixturevalue("world")
    world.approve_all("MS")
    cycle_recompute(cycle_id=world.cycle.id)
    return world, 2023, "2.1", "7.5 A", False


def test_the_pages_render_on_both_shapes(any_shape, client):
    world, year, goal, total, illustrative = any_shape
    client.force_login(world.users["analyst"])
    overview = parsed(client.get(reverse("assessments:overview", args=["MS", year])))
    assert [row["data-goal"] for row in overview.select("tr[data-goal]")] == list(world.goals)
    assert text(overview.select_one("#published-total")) == total
    assert bool(overview.select_one("#illustrative-framework")) == illustrative
    editor = client.get(reverse("assessments:determination", args=["MS", year, goal]))
    assert world.goals[goal].text in text(parsed(editor))
    table = parsed(client.get(reverse("national"), {"cycle": year}))
    assert bool(table.select_one("#illustrative-framework")) == illustrative
    rank, _, *figures = [text(cell) for cell in table.select('tr[data-code="MS"] td')]
    assert [rank, *figures] == ["1st", *total.split(), "Tier I", str(len(world.goals))]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("assessments:list", ["{year}"]),
        ("assessments:texts", ["MS", "{year}"]),
        ("assessments:history", ["MS", "{year}"]),
        ("assessments:what_if", ["MS", "{year}"]),
        ("dashboard", ["{year}"]),
        ("report_card", ["MS", "{year}"]),
        ("exports", ["{year}"]),
    ],
)
def test_every_other_page_of_the_cycle_renders_on_both_shapes(any_shape, client, name, args):
    world, year, *_ = any_shape
    client.force_login(world.users["admin"])
    url = reverse(name, args=[arg.format(year=year) for arg in args])
    response = client.get(url)
    assert response.status_code == 200, url
    assert parsed(response).select_one("h1") is not None
