"""The framework library (issue #13): framework files, `load_framework`, versions, and the
committed JSON Schema of the format."""

import datetime
import io
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.framework_document import FrameworkFileProblems, validated
from assessments.models import Cycle, ExtraCreditOpportunity, Framework, PolicyGoal
from core import limits

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK_2023 = ROOT / "assessments" / "data" / "framework_2023.yaml"
ILLUSTRATIVE = ROOT / "assessments" / "data" / "framework_illustrative.yaml"

pytestmark = pytest.mark.django_db


def load(path: Path) -> tuple[str, str]:
    """Run the command; (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("load_framework", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: Path) -> tuple[str, str]:
    """Run the command expecting a refusal; (the error, the listed problems)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(path), stdout=io.StringIO(), stderr=err)
    return str(error.value), err.getvalue()


def written(tmp_path: Path, data, name="framework.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def file_data(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# The shipped frameworks ---------------------------------------------------------------------


def test_it_loads_the_2023_framework_with_its_rules_and_texts():
    out, _ = load(FRAMEWORK_2023)
    framework = Framework.objects.get()
    assert "Loaded" in out and "6 issue areas, 40 policy goals" in out
    assert (framework.year, framework.version, framework.illustrative) == (2023, 1, False)
    assert framework.rules().scale.grades == (
        ("A", D("90")),
        ("B", D("80")),
        ("C", D("70")),
        ("D", D("60")),
        ("F", D("0")),
    )
    assert (framework.tier_top, framework.tier_bottom) == (10, 10)
    assert framework.cutoff_in(2023) == datetime.date(2023, 7, 1)
    assert sum(goal.max_points for goal in framework.goals.all()) == 100
    assert framework.extra_credit_cap == 10
    assert list(framework.goals.filter(safe_harbor=True).values_list("number", flat=True)) == [
        "2.1",
        *[f"2.{n}" for n in range(3, 9)],
        "3.1",
        "3.6",
    ]
    brief = PolicyGoal.objects.get(framework=framework, number="3.5").issue_brief_url
    assert brief == "https://reportcards.sharedhope.org/related-resources/#3.5"
    petition = framework.texts["calls_to_action"][-1]["text"]
    assert petition.startswith("Help end the criminalization of child sex trafficking survivors!")


def test_it_loads_the_illustrative_framework_of_another_shape():
    load(ILLUSTRATIVE)
    framework = Framework.objects.get()
    assert framework.illustrative and "ILLUSTRATIVE" in framework.name
    assert "placeholders" in framework.note
    goals = list(framework.goals.order_by("ordering"))
    assert len(goals) == 10 and {goal.max_points for goal in goals} == {D("10")}
    assert not ExtraCreditOpportunity.objects.filter(goal__framework=framework).exists()
    assert framework.extra_credit_cap == 0
    assert framework.rules().scale.grades[0] == ("A", D("85"))
    assert (framework.tier_top, framework.tier_bottom) == (5, 15)
    assert framework.cutoff_in(2025) == datetime.date(2025, 6, 30)


def test_the_illustrative_file_says_its_texts_are_placeholders():
    data = file_data(ILLUSTRATIVE)
    goal_texts = [goal["text"] for area in data["issue_areas"] for goal in area["goals"]]
    assert all(text.startswith("Placeholder") for text in goal_texts)
    texts = data["texts"]
    assert all(
        row["text"].startswith("Placeholder")
        for row in texts["resources"] + texts["calls_to_action"]
    )
    assert ILLUSTRATIVE.read_text(encoding="utf-8").startswith(
        "# ILLUSTRATIVE FRAMEWORK — NOT A SHARED HOPE FRAMEWORK."
    )


# Versions -----------------------------------------------------------------------------------


def test_loading_the_same_content_again_changes_nothing_and_says_so(tmp_path):
    load(FRAMEWORK_2023)
    # Comments and spacing are not content.
    same = tmp_path / "same.yaml"
    same.write_text("# a copy\n" + FRAMEWORK_2023.read_text(encoding="utf-8"), encoding="utf-8")
    out, _ = load(same)
    assert "same content as Advanced Legislative Framework (2023) v1" in out
    assert "nothing was changed" in out
    assert Framework.objects.count() == 1 and PolicyGoal.objects.count() == 40


def test_changed_content_is_a_new_version_and_the_published_cycles_version_stays(tmp_path):
    load(FRAMEWORK_2023)
    first = Framework.objects.get()
    Cycle.objects.create(
        year=2023, framework=first, legislative_cutoff=first.cutoff_in(2023), state="published"
    )
    data = file_data(FRAMEWORK_2023)
    data["issue_areas"][0]["goals"][0]["text"] = "A reworded goal 1.1."
    data["tiers"]["top"] = 12
    out, _ = load(written(tmp_path, data))
    assert "as Advanced Legislative Framework (2023) v2" in out
    first.refresh_from_db()
    assert first.tier_top == 10
    assert first.goals.get(number="1.1").text.startswith("The child sex trafficking law")
    assert Cycle.objects.get(year=2023).framework == first
    second = Framework.objects.get(version=2)
    assert (second.tier_top, second.goals.get(number="1.1").text) == (12, "A reworded goal 1.1.")


# Refusals ----------------------------------------------------------------------------------


def broken_framework() -> dict:
    data = file_data(ILLUSTRATIVE)
    del data["name"]
    data["tiers"]["top"] = -1
    data["grading_scale"][1]["minimum_percent"] = "95"  # above A's 85
    data["cutoff_rule"]["day"] = 31
    data["cutoff_rule"]["month"] = 2
    areas = data["issue_areas"]
    areas[0]["goals"][1]["number"] = "2.2"  # listed under issue area 1, and repeated
    areas[0]["goals"][2]["max_points"] = "ten"
    areas[0]["goals"][3]["issue_brief_url"] = "javascript:alert(1)"
    areas[1]["goals"][0]["extra_credit"] = {"labor": "1.00"}
    areas[1]["goals"][4]["text"] = ""
    return data


def test_a_broken_file_is_refused_naming_every_problem_and_nothing_is_loaded(tmp_path):
    error, listed = refused(written(tmp_path, broken_framework()))
    assert "11 problems; nothing was changed" in error
    problems = listed.splitlines()
    assert problems == [
        "- “name” is missing.",
        "- issue area 1: goal 1.3: max_points “ten” is not a number.",
        "- issue area 1: goal 1.4: issue_brief_url: must be a web address starting with "
        "https:// (or http://).",
        "- issue area 2: goal 2.5: “text” is empty.",
        "- tiers: top “-1”: Input should be greater than or equal to 0.",
        "- goal 2.2: it is listed under issue area 1; a goal's number starts with its issue "
        "area's number.",
        "- goal 2.2: the number is used more than once.",
        "- goal 2.1: extra_credit: “labor” is not one of the extra_credit_categories.",
        "- extra_credit_cap: goals offer extra credit but the cap is 0; give the cap, or "
        "remove the goals' extra_credit.",
        "- grading_scale: list the grades best first, each with a lower minimum_percent than "
        "the one before.",
        "- cutoff_rule: month 2, day 31 is not a date of every year.",
    ]
    assert not Framework.objects.exists()


def problems_of(data) -> list[str]:
    """Every problem the framework file `data` is refused with."""
    with pytest.raises(FrameworkFileProblems) as error:
        validated(data)
    return error.value.problems


def test_it_names_categories_grades_and_goal_numbers_in_plain_words():
    data = file_data(FRAMEWORK_2023)
    data["extra_credit_categories"][0]["code"] = "Youth 18+"
    data["grading_scale"][1]["grade"] = ""
    data["issue_areas"][0]["goals"][0]["number"] = "1.01"
    assert problems_of(data)[:3] == [
        "extra-credit category 1: code: a category code is lower-case letters, digits and _, "
        "starting with a letter, at most 32 characters (such as clt).",
        "issue area 1: goal 1.01: number: a goal number is its issue area's number, a dot "
        "and the goal's (such as 2.10).",
        "grade 2: “grade” is empty.",
    ]


def test_a_misspelt_key_is_a_problem_never_ignored():
    data = file_data(ILLUSTRATIVE)
    data["issue_areas"][1]["goals"][2]["safe_harbour"] = True
    assert problems_of(data) == [
        "issue area 2: goal 2.3: “safe_harbour” is not a key of this format; check its spelling."
    ]


def test_a_framework_with_extra_credit_needs_a_cap():
    data = file_data(FRAMEWORK_2023)
    data["extra_credit_cap"] = "0"
    assert problems_of(data) == [
        "extra_credit_cap: goals offer extra credit but the cap is 0; give the cap, or remove "
        "the goals' extra_credit."
    ]


def test_the_grading_scale_ends_with_the_grade_of_every_lower_score():
    data = file_data(ILLUSTRATIVE)
    data["grading_scale"] = data["grading_scale"][:-1]
    assert problems_of(data) == [
        "grading_scale: the last grade is the one every lower score earns; its minimum_percent "
        "must be 0."
    ]


def test_a_framework_has_at_most_as_many_goals_as_an_assessment_holds():
    data = file_data(ILLUSTRATIVE)
    for area in data["issue_areas"]:
        number = area["number"]
        area["goals"] = [
            {"number": f"{number}.{goal}", "text": "Placeholder."} for goal in range(1, 102)
        ]
    assert problems_of(data) == ["issue_areas: 202 goals in all; a framework has at most 200."]


def test_it_refuses_yaml_aliases_before_building_anything(tmp_path):
    path = tmp_path / "aliases.yaml"
    text = ILLUSTRATIVE.read_text(encoding="utf-8")
    path.write_text(text.replace("tiers:\n", "tiers: &tiers\n") + "again: *tiers\n")
    _, listed = refused(path)
    assert "anchors and aliases (&name, *name) are not accepted" in listed
    assert not Framework.objects.exists()


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "FILE_MAX_BYTES", 1_000)
    _, listed = refused(ILLUSTRATIVE)
    assert "an import file may have at most 1,000" in listed


def test_it_names_a_file_that_is_not_a_framework(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    _, listed = refused(path)
    assert listed.splitlines() == ["- The file must hold one JSON object (a framework)."]


def test_an_admin_edit_of_the_rules_is_checked_as_the_file_is():
    load(ILLUSTRATIVE)
    framework = Framework.objects.get()
    framework.grading_scale = [{"grade": "A", "minimum_percent": "50"}, {"grade": "B"}]
    framework.cutoff_month, framework.cutoff_day = 4, 31
    framework.texts = {"resources": [{"text": "No title."}], "petition": "?"}
    with pytest.raises(ValidationError) as error:
        framework.full_clean()
    assert error.value.message_dict == {
        "grading_scale": ["item 2: “minimum_percent” is missing."],
        "cutoff_day": ["month 4, day 31 is not a date of every year."],
        "texts": [
            "resource 1: “title” is missing.",
            "“petition” is not a key of this format; check its spelling.",
        ],
    }


# The format's JSON Schema ------------------------------------------------------------------


def test_the_committed_framework_schema_is_the_one_the_models_generate():
    out = io.StringIO()
    call_command("framework_schema", stdout=out)
    committed = (ROOT / "docs" / "framework.schema.json").read_text(encoding="utf-8")
    assert committed == out.getvalue(), "run manage.py framework_schema -o docs/..."
