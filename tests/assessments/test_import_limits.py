"""An import file is bounded (docs/limits.md): its size, nesting, YAML aliases, long numbers,
control characters, and how many parts a goal may have. Each is refused with a problem that
says which limit and where, and nothing is written."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.importing import ImportRejected, assessment_import
from assessments.models import Assessment, GoalDetermination
from core import limits
from tests.assessments.test_fuzzing import DOCUMENT

pytestmark = pytest.mark.django_db


def database(world):
    """What a refused import must leave alone."""
    assessment = Assessment.objects.get(pk=world.assessments["MS"].pk)
    return (
        assessment.version,
        GoalDetermination.objects.count(),
        GoalDetermination.history.count(),
        list(assessment.determinations.values_list("narrative", flat=True)),
    )


def import_file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_assessment", str(path), "--user", "admin", stdout=out)
    return out.getvalue()


def refused(tmp_path, name, text) -> str:
    with pytest.raises(CommandError) as error:
        import_file(tmp_path, name, text)
    return str(error.value)


def test_it_imports_a_file_that_keeps_to_every_limit(tmp_path, world):
    document = copy.deepcopy(DOCUMENT)
    goal = document["determinations"][0]
    goal["narrative"] = "[" * 20 + " and " + "{" * 20 + " are text here.\n\tTabbed"
    goal["citations"] *= limits.PARTS_MAX
    assert "Imported MS 2023" in import_file(tmp_path, "ms.json", json.dumps(document))
    stored = GoalDetermination.objects.get(assessment__jurisdiction__code="MS", goal__number="1.1")
    assert stored.narrative == goal["narrative"]
    assert stored.citations.count() == limits.PARTS_MAX


def test_it_refuses_a_file_larger_than_the_limit_before_reading_it(tmp_path, world):
    before = database(world)
    text = json.dumps(DOCUMENT) + " " * limits.FILE_MAX_BYTES
    message = refused(tmp_path, "big.json", text)
    assert f"an import file may have at most {limits.FILE_MAX_BYTES:,}" in message
    assert database(world) == before


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("lists.json", "[" * 100_000 + "]" * 100_000),
        ("objects.json", '{"a": ' * 50_000 + "1" + "}" * 50_000),
        ("flow.yaml", "[" * 100_000 + "]" * 100_000),
        ("blocks.yaml", "".join(" " * depth + "- \n" for depth in range(0, 40, 2))),
    ],
)
def test_it_refuses_deep_nesting_with_a_problem_not_a_crash(tmp_path, world, name, text):
    before = database(world)
    message = refused(tmp_path, name, text)
    assert f"nests objects and lists more than {limits.NESTING_MAX} levels deep" in message
    assert database(world) == before


def test_it_refuses_yaml_aliases_before_expanding_them(tmp_path, world):
    """Nine levels of ten aliases would be a billion cells once expanded."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    before = database(world)
    message = refused(tmp_path, "laughs.yaml", "\n".join(lines))
    assert "laughs.yaml uses a YAML anchor or alias at line 1" in message
    assert database(world) == before


@pytest.mark.parametrize("name", ["digits.json", "digits.yaml"])
def test_it_refuses_a_number_of_five_thousand_digits(tmp_path, world, name):
    document = copy.deepcopy(DOCUMENT)
    document["cycle"] = "CYCLE"
    text = json.dumps(document).replace('"CYCLE"', "7" * 5000)
    message = refused(tmp_path, name, text)
    assert "holds a number of more than 4,300 digits" in message


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda goal: goal.update(narrative="Before\x00after"),
            "goal 1.1: narrative: contains the control character U+0000",
        ),
        (
            lambda goal: goal["citations"][0].update(pinpoint="(1)\t(a)"),
            "goal 1.1: citation 1: pinpoint: contains the control character U+0009",
        ),
        (
            lambda goal: goal["tables"][0]["rows"][0].__setitem__(0, "a\x1bb"),
            "goal 1.1: table 1: row 1: cell 1: contains the control character U+001B",
        ),
        (
            lambda goal: goal["citations"][0].update(citation="§ " + "9" * 200),
            "goal 1.1: citation 1: “citation” is longer than 200 characters",
        ),
        (
            lambda goal: goal["footnotes"][0].update(label="123456789"),
            "goal 1.1: footnote 1: “label” is longer than 8 characters",
        ),
        (
            lambda goal: goal.update(citations=goal["citations"] * (limits.PARTS_MAX + 1)),
            f"goal 1.1: “citations” has more than {limits.PARTS_MAX} entries",
        ),
        (
            lambda goal: goal.update(footnotes=goal["footnotes"] * (limits.PARTS_MAX + 1)),
            f"goal 1.1: “footnotes” has more than {limits.PARTS_MAX} entries",
        ),
        (
            lambda goal: goal.update(tables=goal["tables"] * (limits.TABLES_MAX + 1)),
            f"goal 1.1: “tables” has more than {limits.TABLES_MAX} entries",
        ),
        (
            lambda goal: goal["tables"][0].update(rows=[["a", "b"]] * (limits.TABLE_ROWS_MAX + 1)),
            f"goal 1.1: table 1: “rows” has more than {limits.TABLE_ROWS_MAX} entries",
        ),
        (
            lambda goal: goal["tables"][0].update(
                columns=["c"] * (limits.TABLE_COLUMNS_MAX + 1), rows=[]
            ),
            f"goal 1.1: table 1: “columns” has more than {limits.TABLE_COLUMNS_MAX} entries",
        ),
        (
            lambda goal: goal["tables"][0]["rows"][0].__setitem__(1, "x" * 2001),
            f"goal 1.1: table 1: row 1: cell 2 is longer than {limits.CELL_MAX_CHARS:,}",
        ),
        (
            lambda goal: goal.update(recommendations=["r" * (limits.TEXT_MAX_CHARS + 1)]),
            f"recommendation 1 is longer than {limits.TEXT_MAX_CHARS:,} characters",
        ),
    ],
)
def test_it_names_each_limit_a_goal_breaks_and_writes_nothing(world, change, problem):
    document = copy.deepcopy(DOCUMENT)
    change(document["determinations"][0])
    before = database(world)
    with pytest.raises(ImportRejected) as rejected:
        assessment_import(data=document, username="admin")
    assert any(problem in found for found in rejected.value.problems), rejected.value.problems
    assert database(world) == before
