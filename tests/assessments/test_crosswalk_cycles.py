"""Opening a cycle on a new framework through a crosswalk (issue #13).

The small world's 2023 framework has goals 1.1, 1.2 and 2.1 (2.5 points each, 1.1 offering
a child-labor point). Its successor here has 1.1 (5 points, half a child-labor point),
1.2, 2.1 and 2.2, related by a crosswalk of every kind: 1.1 one-to-one from 1.1; 1.2
merged from 1.2 and 2.1; 2.1 split from 2.1; 2.2 new.
"""

import io
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.crosswalk_document import CrosswalkFileProblems
from assessments.crosswalks import checked_crosswalk, scaled_points
from assessments.cycles import cycle_create_from_previous
from assessments.models import Cycle, Framework
from assessments.models import GoalDetermination as Determination
from assessments.scoring import Status
from assessments.services import WorkflowError
from tests.factories import (
    CitationFactory,
    FrameworkFactory,
    goals_on,
    save_as,
)
from tests.pages import parsed, text

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "assessments" / "data"

pytestmark = pytest.mark.django_db


@pytest.fixture
def successor(world):
    framework = FrameworkFactory(name="Successor framework", year=2024, version=1)
    goals = {"1.1": {"max_points": D("5")}, "1.2": {}, "2.1": {}, "2.2": {}}
    goals_on(framework, goals, clt_points=D("0.5"))
    return framework


def crosswalk(world, successor) -> dict:
    return {
        "format": "report-cards-crosswalk",
        "format_version": 1,
        "from": {"year": 2023, "version": world.framework.version},
        "to": {"year": 2024, "version": 1},
        "goals": [
            {"goal": "1.1", "kind": "one_to_one", "from": ["1.1"]},
            {"goal": "1.2", "kind": "merged", "from": ["1.2", "2.1"]},
            {"goal": "2.1", "kind": "split", "from": ["2.1"]},
            {"goal": "2.2", "kind": "new"},
        ],
    }


@pytest.fixture
def approved_2023(world):
    """Mississippi's 1.1 partially met at 1.5 of 2.5 with a citation and the child-labor
    point; its 1.2 fully met and 2.1 not met, all approved."""
    goal = world.determination("MS", "1.1")
    goal.narrative = "Partly covered by the 2019 act."
    goal.save()
    CitationFactory(determination=goal)
    goal.extra_credit_awards.create(category=world.clt, points=1)
    world.approve("MS", "1.1", Status.PARTIALLY_MET, D("1.5"))
    world.approve("MS", "1.2")
    world.approve("MS", "2.1", Status.NOT_MET)
    return world


@pytest.fixture
def crosswalked(approved_2023, successor):
    world = approved_2023
    return cycle_create_from_previous(
        year=2024,
        user=world.users["admin"],
        framework=successor,
        crosswalk=crosswalk(world, successor),
    ).cycle


def ms_2024(number):
    return Determination.objects.get(
        assessment__cycle__year=2024, assessment__jurisdiction__code="MS", goal__number=number
    )


def test_a_crosswalked_cycle_is_on_the_new_framework_with_every_new_goal(crosswalked, successor):
    assert crosswalked.framework == successor
    assert crosswalked.crosswalk["to"] == {"year": 2024, "version": 1}
    goals = Determination.objects.filter(assessment__cycle=crosswalked)
    assert sorted(goals.values_list("goal__number", flat=True)) == sorted(
        ["1.1", "1.2", "2.1", "2.2"] * 2
    )
    assert set(goals.values_list("review_state", "version")) == {("draft", 1)}


def test_a_one_to_one_goal_is_copied_with_points_scaled_to_the_new_maximum(crosswalked):
    goal = ms_2024("1.1")
    assert (goal.status, goal.points) == (Status.PARTIALLY_MET, D("3.00"))  # 1.5 of 2.5 → of 5
    assert goal.narrative == "Partly covered by the 2019 act."
    assert goal.citations.count() == 1
    assert [award.points for award in goal.extra_credit_awards.all()] == [D("0.50")]  # capped
    assert not goal.needs_fresh_look


def test_merged_split_and_new_goals_start_blank_flagged_with_the_old_goals_for_reference(
    crosswalked, world
):
    for number in ("1.2", "2.1", "2.2"):
        goal = ms_2024(number)
        assert goal.needs_fresh_look, number
        assert (goal.status, goal.points, goal.narrative) == (Status.NOT_MET, 0, "")
        assert not goal.citations.exists()
    merged = ms_2024("1.2").crosswalk_sources
    assert [(s["goal"], s["status"], s["points"]) for s in merged] == [
        ("1.2", "fully_met", "2.5"),
        ("2.1", "not_met", "0"),
    ]
    assert merged[0]["text"] == world.goals["1.2"].text
    assert ms_2024("2.2").crosswalk_sources == []


def test_saving_a_flagged_goal_clears_the_flag(crosswalked, world):
    goal = ms_2024("1.2")
    save_as(
        world.users["analyst"],
        goal,
        reason="",
        status=Status.FULLY_MET,
        points=None,
        narrative="M.",
    )
    goal.refresh_from_db()
    assert not goal.needs_fresh_look
    assert goal.crosswalk_sources  # still there to read


def test_importing_the_assessment_clears_the_flags(crosswalked, tmp_path):
    path = tmp_path / "ms.json"
    call_command("export_assessment", "MS", "2024", "-o", str(path), stdout=io.StringIO())
    call_command(
        "import_assessment", str(path), "--user", "analyst", "--reason", "Reviewed",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert not ms_2024("1.2").needs_fresh_look


def page(client, user, name, *args):
    client.force_login(user)
    response = client.get(reverse(f"assessments:{name}", args=args))
    assert response.status_code == 200
    return parsed(response)


def test_the_overview_flags_the_goals_that_need_a_fresh_look(client, crosswalked, world):
    overview = page(client, world.users["analyst"], "overview", "MS", 2024)
    flagged = [badge["data-fresh-look"] for badge in overview.select("[data-fresh-look]")]
    assert flagged == ["1.2", "2.1", "2.2"]
    review = overview.select_one('tr[data-goal="1.2"]').select("td")[4]
    assert text(review) == "Draft needs a fresh look"


def test_the_editor_offers_the_old_goals_texts_for_reference(client, crosswalked, world):
    editor = page(client, world.users["analyst"], "determination", "MS", 2024, "1.2")
    assert editor.select_one('[data-fresh-look="1.2"]')
    sources = editor.select_one("#crosswalk-sources")
    assert "Needs a fresh look" in text(sources)
    assert [a["data-source-goal"] for a in sources.select("[data-source-goal]")] == ["1.2", "2.1"]
    assert world.goals["2.1"].text in text(sources)
    assert "Fully met · 2.5 points" in text(sources.select_one('[data-source-goal="1.2"]'))
    one_to_one = page(client, world.users["analyst"], "determination", "MS", 2024, "1.1")
    assert not one_to_one.select("#crosswalk-sources, [data-fresh-look]")


def goal_cells(compare, number) -> list[str]:
    return [text(cell) for cell in compare.select(f'tr[data-goal="{number}"] td')]


@pytest.mark.parametrize("swapped", [False, True])
def test_the_compare_page_groups_old_goals_under_the_new_goal_they_feed(
    client, crosswalked, world, swapped
):
    years = (2024, 2023) if swapped else (2023, 2024)
    compare = page(client, world.users["reviewer"], "compare", "MS", *years)
    assert "The frameworks differ" in text(compare.select_one("#crosswalk-note"))
    merged = compare.select_one('tr[data-goal="1.2"]')
    old_cell = merged.select("td")[4 if swapped else 2]
    assert [d["data-side-goal"] for d in old_cell.select("[data-side-goal]")] == ["1.2", "2.1"]
    assert "2023 goal 1.2:" in text(old_cell)
    assert text(merged.select("td")[-1]) == "merged"
    assert text(compare.select_one('tr[data-goal="2.2"] td:last-child')) == "new"
    assert "new goal: none in 2023" in goal_cells(compare, "2.2")
    # One-to-one 1.1: partially met at 1.5 of 2.5, copied as 3 of 5: the same share.
    assert goal_cells(compare, "1.1")[-1] == ""
    assert text(compare.select_one("#compare-summary")).startswith(
        "0 of 4 goals changed. 3 merged, split or new."
    )


def test_the_compare_page_marks_a_one_to_one_goal_whose_share_changed(client, crosswalked, world):
    Determination.objects.filter(pk=ms_2024("1.1").pk).update(points=D("2.5"))
    compare = page(client, world.users["reviewer"], "compare", "MS", 2023, 2024)
    assert goal_cells(compare, "1.1")[-1] == "changed"


def test_the_compare_page_lists_old_goals_that_feed_no_new_goal(client, approved_2023, successor):
    data = crosswalk(approved_2023, successor)
    data["goals"][1]["from"] = ["1.2", "1.1"]  # 1.1 now split
    data["goals"][0] = {"goal": "1.1", "kind": "split", "from": ["1.1"]}
    data["goals"][1]["kind"] = "merged"
    data["goals"][2] = {"goal": "2.1", "kind": "new"}
    data["dropped"] = ["2.1"]
    cycle_create_from_previous(
        year=2024, user=approved_2023.users["admin"], framework=successor, crosswalk=data
    )
    compare = page(client, approved_2023.users["reviewer"], "compare", "MS", 2023, 2024)
    dropped = compare.select_one("#crosswalk-dropped")
    assert [li["data-dropped-goal"] for li in dropped.select("li")] == ["2.1"]


@pytest.mark.parametrize(
    ("status", "points", "old_max", "new_max", "scaled"),
    [
        (Status.FULLY_MET, D("2.5"), D("2.5"), D("10"), D("10")),
        (Status.NOT_MET, D("0"), D("2.5"), D("10"), D("0")),
        (Status.PARTIALLY_MET, D("1.25"), D("2.5"), D("10"), D("5")),
        (Status.PARTIALLY_MET, D("1"), D("2.5"), D("1"), D("0.5")),  # 0.4 → nearest 0.25
        (Status.PARTIALLY_MET, D("2.25"), D("2.5"), D("1"), D("0.75")),  # stays partial
        (Status.PARTIALLY_MET, D("0.25"), D("10"), D("2.5"), D("0.25")),  # stays partial
    ],
)
def test_partial_credit_keeps_its_share_in_quarter_points(status, points, old_max, new_max, scaled):
    assert scaled_points(status, points, old_max, new_max) == scaled


def test_a_new_framework_needs_a_crosswalk_and_the_same_one_refuses_one(world, successor):
    count = Cycle.objects.count()
    with pytest.raises(WorkflowError, match="give the crosswalk between them"):
        cycle_create_from_previous(year=2024, user=world.users["admin"], framework=successor)
    with pytest.raises(WorkflowError, match="a crosswalk is only for a new framework"):
        cycle_create_from_previous(
            year=2024,
            user=world.users["admin"],
            framework=world.framework,
            crosswalk=crosswalk(world, successor),
        )
    assert Cycle.objects.count() == count


def test_a_broken_crosswalk_is_refused_naming_every_problem_and_nothing_is_copied(world, successor):
    data = crosswalk(world, successor)
    data["from"]["version"] = 99
    data["goals"] = [
        {"goal": "1.1", "kind": "one_to_one", "from": ["1.1"]},
        {"goal": "1.1", "kind": "new"},
        {"goal": "1.2", "kind": "merged", "from": ["1.2"]},
        {"goal": "2.1", "kind": "split", "from": ["2.1"]},
        {"goal": "3.1", "kind": "one_to_one", "from": ["9.9"]},
        {"goal": "2.2", "kind": "renamed"},
    ]
    data["dropped"] = ["1.1"]
    with pytest.raises(CrosswalkFileProblems) as refused:
        cycle_create_from_previous(
            year=2024, user=world.users["admin"], framework=successor, crosswalk=data
        )
    problems = "\n".join(refused.value.problems)
    for expected in [
        "goal 2.2: kind “renamed” is not one of one_to_one, merged, split or new",
        "goal 1.1: the new goal is mapped more than once",
        "goal 1.2: merged needs two or more old goals",
        "goal 2.1: split, but goal 2.1 feeds no other new goal",
        "dropped: goal 1.1 is dropped but feeds goal 1.1",
        "goal 3.1: the new framework has no goal 3.1",
        "goal 3.1: from: the old framework has no goal 9.9",
        "from: the crosswalk is for framework 2023:99",
    ]:
        assert expected in problems
    assert len(refused.value.problems) >= 8
    assert not Cycle.objects.filter(year=2024).exists()
    assert not Determination.objects.filter(goal__framework=successor).exists()


def test_every_goal_of_both_frameworks_must_be_accounted_for(world, successor):
    data = crosswalk(world, successor)
    data["goals"] = [{"goal": "1.1", "kind": "one_to_one", "from": ["1.1"]}]
    with pytest.raises(CrosswalkFileProblems) as refused:
        checked_crosswalk(data, world.framework, successor)
    problems = refused.value.problems
    assert "goals: goal 1.2 of the new framework is not mapped" in problems[0]
    assert any("goal 2.1 of the old framework feeds no new goal" in p for p in problems)


def written(tmp_path, data) -> Path:
    path = tmp_path / "crosswalk.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_the_command_opens_a_crosswalked_cycle(approved_2023, successor, tmp_path):
    path = written(tmp_path, crosswalk(approved_2023, successor))
    out = io.StringIO()
    call_command(
        "new_cycle", "2024", "--from", "2023", "--framework", "2024:1",
        "--crosswalk", str(path), "--user", "admin", stdout=out,
    )  # fmt: skip
    assert "copied 2 assessments and 8 determinations as drafts" in out.getvalue()
    assert "6 goals (merged, split or new) need a fresh look" in out.getvalue()
    assert Cycle.objects.get(year=2024).framework == successor


def test_the_command_takes_the_framework_from_the_crosswalk_and_lists_its_problems(
    world, successor, tmp_path
):
    data = crosswalk(world, successor)
    data["goals"][0]["kind"] = "merged"
    data["surprise"] = True
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"2 problem\(s\); nothing was copied"):
        call_command(
            "new_cycle", "2024", "--crosswalk", str(written(tmp_path, data)),
            "--user", "admin", stderr=err,
        )  # fmt: skip
    assert "surprise" in err.getvalue()
    assert "goal 1.1: merged needs two or more old goals" in err.getvalue()
    assert not Cycle.objects.filter(year=2024).exists()


@pytest.mark.parametrize(
    ("framework", "refusal"),
    [("2030", "No framework 2030 is loaded"), ("next", "names no framework")],
)
def test_the_command_names_an_unknown_framework(world, framework, refusal):
    with pytest.raises(CommandError, match=refusal):
        call_command("new_cycle", "2024", "--framework", framework, "--user", "admin")


def test_the_shipped_crosswalk_relates_the_shipped_frameworks():
    quiet = io.StringIO()
    for name in ("framework_2023.yaml", "framework_illustrative.yaml"):
        call_command("load_framework", str(DATA / name), stdout=quiet)
    data = yaml.safe_load((DATA / "crosswalk_2023_to_illustrative.yaml").read_text())
    document = checked_crosswalk(
        data, Framework.objects.get(year=2023), Framework.objects.get(year=2025)
    )
    assert document.illustrative
    kinds = {row.kind for row in document.goals}
    assert kinds == {"one_to_one", "merged", "split", "new"}


def test_the_committed_crosswalk_schema_is_the_one_the_models_generate():
    out = io.StringIO()
    call_command("crosswalk_schema", stdout=out)
    committed = (ROOT / "docs" / "crosswalk.schema.json").read_text(encoding="utf-8")
    assert committed == out.getvalue(), "run manage.py crosswalk_schema -o docs/..."
