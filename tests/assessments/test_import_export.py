"""import_assessment validates everything first; export_assessment round-trips exactly;
both follow the one schema of assessments/document.py."""

import copy
import json
import typing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.document import AppendixGroup, Status, TableKind
from assessments.importing import ImportRejected, assessment_export, assessment_import
from assessments.models import (
    AppendixEntry,
    Assessment,
    DeterminationTable,
    GoalDetermination,
    ScoreSnapshot,
)
from statutes.models import Statute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mississippi():
    return Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023)


@pytest.fixture
def document(mississippi):
    return assessment_export(assessment=mississippi)


def goal(document, number):
    return next(row for row in document["determinations"] if row["goal"] == number)


def snapshot_of_database():
    return (
        Assessment.objects.count(),
        GoalDetermination.objects.count(),
        Statute.objects.count(),
        sorted(GoalDetermination.history.values_list("history_id", flat=True))[-1],
    )


def run_import(tmp_path, document, *args):
    path = tmp_path / "assessment.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_assessment", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_round_trips_export_import_export_exactly(tmp_path, document, mississippi):
    run_import(tmp_path, document, "--user", "admin")
    path = tmp_path / "again.json"
    call_command("export_assessment", "MS", "2023", "-o", str(path), stdout=StringIO())
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(document))


def test_it_keeps_everything_the_seed_gave_through_a_round_trip(document):
    goal_29 = goal(document, "2.9")
    assert goal_29["tables"] and goal_29["recommendations"]
    assert any(row["insights"] for row in document["determinations"])
    assert sum(len(row["extra_credit"]) for row in document["determinations"]) == 9
    # Facts the app has data for are placeholders, filled when the card is printed.
    assert document["texts"]["highlights"][1] == "Currently ranked {rank} in the nation{tied}."
    assert document["appropriations"][0]["bill"] == "HB 1641"
    assert [row["amount_footnote"] for row in document["appropriations"]] == ["17", "", ""]
    assert [pic["year"] for pic in document["pic_scores"]] == [2019, 2011]


def test_it_reports_every_problem_with_its_goal_number_and_changes_nothing(tmp_path, document):
    bad = copy.deepcopy(document)
    goal(bad, "1.1")["points"] = "1.1"
    goal(bad, "2.9")["status"] = "mostly_met"
    goal(bad, "3.2")["points"] = "2.00"
    goal(bad, "4.1")["points"] = "0.50"
    goal(bad, "5.4")["extra_credit"][0]["points"] = "5.00"
    goal(bad, "6.6")["extra_credit"] = [{"category": "clt", "points": "1.00"}]
    bad["determinations"] = [row for row in bad["determinations"] if row["goal"] != "6.5"]
    before = snapshot_of_database()
    with pytest.raises(CommandError, match="7 problem"):
        run_import(tmp_path, bad, "--user", "admin")
    assert snapshot_of_database() == before


def test_it_names_each_problem_in_plain_words(document):
    bad = copy.deepcopy(document)
    goal(bad, "1.1")["points"] = "1.1"
    goal(bad, "2.9")["status"] = "mostly_met"
    goal(bad, "3.2")["points"] = "2.00"
    goal(bad, "6.6")["extra_credit"] = [{"category": "clt", "points": "1.00"}]
    bad["determinations"] = [row for row in bad["determinations"] if row["goal"] != "6.5"]
    with pytest.raises(ImportRejected) as rejected:
        assessment_import(data=bad, username="admin")
    problems = "\n".join(rejected.value.problems)
    assert "goal 1.1: Points go in steps of 0.25" in problems
    assert "goal 2.9: status “mostly_met” is not one of" in problems
    assert "goal 3.2: A fully met goal scores its maximum of 2.5 points, not 2" in problems
    assert "goal 6.6: offers no CLT Child Labor Trafficking extra credit" in problems
    assert "goal 6.5: is missing" in problems


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(jurisdiction="ZZ"), "Unknown jurisdiction “ZZ”"),
        (lambda d: d.update(cycle=1999), "There is no 1999 cycle"),
        (lambda d: d.update(determinations="all of them"), "“determinations” must be a list"),
        (lambda d: d["determinations"].append({"goal": "9.9"}), "unknown policy goal “9.9”"),
        (
            lambda d: d["determinations"].append(copy.deepcopy(d["determinations"][0])),
            "goal 1.1: appears more than once",
        ),
        (lambda d: goal(d, "1.1").update(points="lots"), "goal 1.1: points “lots” is not a number"),
        (
            lambda d: goal(d, "1.2").update(extra_credit=[{"category": "adult", "points": "1"}]),
            "goal 1.2: extra credit 1: unknown category “adult”",
        ),
        (
            lambda d: goal(d, "2.9")["tables"][0]["rows"][0].pop(),
            "goal 2.9: table 1: every row needs 6 cells",
        ),
        (lambda d: goal(d, "2.9").update(tables=[{}]), "goal 2.9: table 1: “columns” is missing"),
        (
            lambda d: goal(d, "1.3")["citations"][0].update(quote=["a"]),
            "goal 1.3: citation 1: “quote” must be text",
        ),
        (
            lambda d: goal(d, "1.1")["footnotes"][0].update(label="1 7"),
            "goal 1.1: footnote 1: label: a footnote label is at most 8 characters, without",
        ),
        (
            lambda d: goal(d, "1.1")["footnotes"][0].update(label="123456789"),
            "goal 1.1: footnote 1: “label” is longer than 8 characters",
        ),
        (lambda d: goal(d, "1.2").update(recommendations=[7]), "goal 1.2: recommendation 1 must"),
        (
            lambda d: goal(d, "2.4").update(narrative="x" * 20_001),
            "goal 2.4: “narrative” is longer than 20,000 characters",
        ),
        (
            lambda d: goal(d, "3.3").update(narrative="See below.\n\n[[quote 9]]"),
            "Goal 3.3 refers to quote 9, but the goal has 2 citations.",
        ),
        (
            lambda d: goal(d, "2.4").update(narrative="A mark.[^77]"),
            "Goal 2.4 marks footnote 77, but the goal has no footnote 77.",
        ),
        (
            lambda d: goal(d, "1.1")["citations"][0].update(quote="x <b>bold</b>"),
            "goal 1.1: the citation 1 quote uses what the narrative format does not support: "
            "HTML (<b>) on line 1.",
        ),
        (
            lambda d: goal(d, "1.1")["citations"][0].update(caption="[x](javascript:alert(1))"),
            "goal 1.1: the citation 1 caption uses what the narrative format does not support: "
            "a link to “javascript:alert(1)”",
        ),
        (
            lambda d: goal(d, "2.9")["tables"][0]["rows"][0].__setitem__(
                0, "![x](https://e.x/i.png)"
            ),
            "goal 2.9: the table 1 cell 7 uses what the narrative format does not support: "
            "an image",
        ),
        (
            lambda d: d["statutes"][0].update(caption="<script>alert(1)</script>"),
            "the caption uses what the narrative format does not support: HTML (<script>",
        ),
        (
            lambda d: d["appropriations"][0].update(purpose="<img src=x onerror=alert(1)>"),
            "appropriation 1: the purpose uses what the narrative format does not support: HTML",
        ),
        (
            lambda d: d["appendix"][0].update(text="# Heading"),
            "appendix entry 1: the text uses what the narrative format does not support: a heading",
        ),
        (lambda d: d["determinations"].insert(0, "1.1"), "determination 1 must be an object"),
        (lambda d: d["appendix"][0].update(group="x"), "appendix entry 1: group “x” is not one"),
        (lambda d: d["appropriations"][0].update(amount="0"), "appropriation 1: amount “0”"),
        (
            lambda d: d["appropriations"][0].update(amount_footnote="1 7"),
            "appropriation 1: amount_footnote: a footnote label is at most 8 characters, without",
        ),
        (lambda d: d["pic_scores"][0]["areas"].pop(), "areas and maxima differ in length"),
        (lambda d: d.update(texts=[]), "“texts” must be an object"),
        (lambda d: d.pop("jurisdiction"), "“jurisdiction” is missing"),
    ],
)
def test_it_rejects_each_kind_of_bad_input(document, change, message):
    bad = copy.deepcopy(document)
    change(bad)
    with pytest.raises(ImportRejected) as rejected:
        assessment_import(data=bad, username="admin")
    assert any(message in problem for problem in rejected.value.problems), rejected.value.problems


def test_it_reports_schema_and_database_problems_together(document):
    bad = copy.deepcopy(document)
    goal(bad, "1.3")["citations"][0]["quote"] = 5
    goal(bad, "3.2")["points"] = "2.00"
    with pytest.raises(ImportRejected) as rejected:
        assessment_import(data=bad, username="admin")
    assert rejected.value.problems == [
        "goal 1.3: citation 1: “quote” must be text.",
        "goal 3.2: A fully met goal scores its maximum of 2.5 points, not 2.",
    ]


def test_it_refuses_a_document_that_is_not_an_object():
    with pytest.raises(ImportRejected, match="must hold one JSON object"):
        assessment_import(data=["MS"], username="admin")


def test_it_refuses_an_unknown_user(document):
    with pytest.raises(ImportRejected, match="Unknown user “nobody”"):
        assessment_import(data=document, username="nobody")


def test_it_explains_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"jurisdiction": "MS",', encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid JSON"):
        call_command("import_assessment", str(path), stdout=StringIO())


def test_it_explains_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_assessment", str(tmp_path / "nope.json"), stdout=StringIO())


def test_it_replaces_an_assessment_and_rescores_the_cycle(
    document, django_capture_on_commit_callbacks
):
    changed = copy.deepcopy(document)
    goal(changed, "6.2").update(status="fully_met", points="2.50")
    with django_capture_on_commit_callbacks(execute=True):
        assessment_import(data=changed, username="admin")
    snapshot = ScoreSnapshot.objects.get(cycle__year=2023, jurisdiction__code="MS")
    assert str(snapshot.total) == "71.00"
    assert snapshot.grade == "C"
    determination = GoalDetermination.objects.get(
        assessment__jurisdiction__code="MS", goal__number="6.2"
    )
    assert determination.review_state == "approved"
    assert determination.history.first().history_change_reason == "Imported from file"
    assert determination.history.first().history_user.username == "admin"


def test_it_imports_the_mississippi_sample_from_yaml(mississippi):
    out = StringIO()
    path = ROOT / "assessments" / "data" / "mississippi_2023.yaml"
    call_command("import_assessment", str(path), "--user", "admin", stdout=out)
    assert "Imported MS 2023: 40 determinations, approved." in out.getvalue()


def test_it_writes_the_export_to_standard_output(document):
    out = StringIO()
    call_command("export_assessment", "MS", "2023", stdout=out)
    assert json.loads(out.getvalue()) == document


def test_it_reads_nulls_and_numbers_as_a_yaml_file_writes_them(document):
    loose = copy.deepcopy(document)
    loose["texts"]["issue_summaries"] = {1: "Summary"}
    notes = [
        {"label": int(note["label"]), "text": note["text"]}
        for note in goal(loose, "1.1")["footnotes"]
    ]
    goal(loose, "1.1").update(points=1, footnotes=notes, insights=None)
    goal(loose, "1.2").update(points="", narrative=None)
    assessment_import(data=loose, username="admin")
    again = assessment_export(assessment=Assessment.objects.get(jurisdiction__code="MS"))
    assert again["texts"]["issue_summaries"] == {"1": "Summary"}
    assert goal(again, "1.1")["points"] == "1.00"
    assert goal(again, "1.1")["footnotes"] == goal(document, "1.1")["footnotes"]
    assert goal(again, "1.2")["points"] == "2.50"


def test_the_committed_json_schema_is_the_one_the_models_generate():
    out = StringIO()
    call_command("assessment_schema", stdout=out)
    committed = (ROOT / "docs" / "assessment-document.schema.json").read_text(encoding="utf-8")
    assert committed == out.getvalue(), "run manage.py assessment_schema -o docs/..."


def test_the_schema_offers_the_choices_the_database_stores():
    assert set(typing.get_args(TableKind)) == set(DeterminationTable.Kind.values)
    assert set(typing.get_args(AppendixGroup)) == set(AppendixEntry.Group.values)
    assert set(Status) == set(GoalDetermination.Status.values)


def test_it_carries_a_goal_titles_footnote_marks_and_refuses_other_words(document):
    assert goal(document, "1.2")["marked_title"].startswith(
        "Commercial sexual exploitation of children (CSEC) laws[^4] specifically"
    )
    assert goal(document, "2.1")["marked_title"] == ""
    bad = copy.deepcopy(document)
    goal(bad, "1.3")["marked_title"] = "CSEC laws[^6] apply to traffickers."
    goal(bad, "1.2")["marked_title"] = goal(document, "1.2")["marked_title"].replace("4", "99")
    with pytest.raises(ImportRejected) as rejected:
        assessment_import(data=bad, username="admin")
    problems = " ".join(rejected.value.problems)
    assert "The marked title of goal 1.3 must read as the goal's title" in problems
    assert "Goal 1.2 marks footnote 99, but the goal has no footnote 99." in problems
