"""The open data of a cycle (reportcards/opendata.py): a Frictionless Data Package of the
released versions only, valid, the same bytes every time, and in the cycle export's
public/ folder once the cycle is released.

The three-state world (tests/factories.py `three_states_to_release`): Mississippi and
Tennessee fully met, tied first; Alabama third. Celery runs eagerly.
"""

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest

from assessments.framework_document import validated
from assessments.frameworks import framework_document, framework_load
from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from reportcards import publishing
from reportcards.exports import scores_csv
from reportcards.opendata import NothingReleased, write_package, write_publication
from tests.factories import three_states_to_release

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def world(db):
    return three_states_to_release()


def build(cycle, directory: Path) -> Path:
    directory.mkdir()
    said = []
    write_publication(cycle, directory, lambda percent, message: said.append(percent))
    assert said == sorted(said) and all(0 <= percent <= 100 for percent in said)
    return directory


def rows(directory: Path, name: str) -> list[dict]:
    with (directory / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_before_the_release_there_is_no_open_data(publish, release, world, tmp_path):
    publish("MS")  # a preview for staff: not released
    release(at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2))  # embargo
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(NothingReleased, match="2023 cycle has not been released yet"):
        write_package(world.cycle, out, lambda percent, message: None)
    assert list(out.iterdir()) == []


def test_the_package_is_valid_and_the_same_bytes_every_time(release, world, tmp_path):
    release()
    first = build(world.cycle, tmp_path / "first")
    report = frictionless.validate(first / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    second = build(world.cycle, tmp_path / "second")
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    package = [str(path) for path in files if path.parts[0] == "data" or path.suffix == ".json"]
    assert package == [
        "data/citations.csv",
        "data/determinations.csv",
        "data/framework.json",
        "data/jurisdictions.csv",
        "data/scores.csv",
        "datapackage.json",
    ]
    assert "index.html" in {str(path) for path in files}  # the static site beside it
    # The whole publication, package and site, is the same bytes the second time.
    assert all((first / path).read_bytes() == (second / path).read_bytes() for path in files)


def test_the_descriptor_names_licence_cutoff_and_a_dictionary_entry_for_every_column(
    release, world, tmp_path
):
    release()
    package = json.loads((build(world.cycle, tmp_path / "out") / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["as_of"] == world.cycle.legislative_cutoff.isoformat()
    tables = {r["name"]: r for r in package["resources"] if r.get("format") == "csv"}
    for name, resource in tables.items():
        header = next(csv.reader((tmp_path / "out" / resource["path"]).open(encoding="utf-8")))
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header, name
        assert all(f["type"] and f["title"] and f["description"] for f in fields), name


def test_scores_carry_what_each_card_printed_in_the_export_columns(release, world, tmp_path):
    release()
    out = build(world.cycle, tmp_path / "out")
    scores = rows(out, "scores")
    assert [(r["jurisdiction"], r["total"], r["rank"], r["tied"]) for r in scores] == [
        ("MS", "7.5", "1", "True"),
        ("TN", "7.5", "1", "True"),
        ("AL", "5", "3", "False"),
    ]
    # The same columns as the cycle export's scores.csv (one writer).
    exported = next(csv.reader(io.StringIO(scores_csv(world.cycle))))
    assert list(scores[0]) == exported


def test_determinations_and_citations_per_jurisdiction_and_goal(release, world, tmp_path):
    release()
    out = build(world.cycle, tmp_path / "out")
    alabama = {r["goal"]: r for r in rows(out, "determinations") if r["jurisdiction"] == "AL"}
    assert alabama["2.1"]["status"] == "not_met" and alabama["2.1"]["points"] == "0"
    assert alabama["1.1"]["status"] == "fully_met"
    assert alabama["1.1"]["points"] == alabama["1.1"]["max_points"] == "2.5"
    assert alabama["2.1"]["safe_harbor"] == "True"
    by_issue = {}
    for row in alabama.values():
        by_issue[row["issue"]] = by_issue.get(row["issue"], 0) + Decimal(row["points"])
    scores = next(r for r in rows(out, "scores") if r["jurisdiction"] == "AL")
    assert all(Decimal(scores[f"issue_{n}"]) == points for n, points in by_issue.items())
    citations = rows(out, "citations")
    assert {(r["jurisdiction"], r["position"]) for r in citations} <= {
        (code, str(n)) for code in ("AL", "MS", "TN") for n in range(1, 10)
    }


def test_the_framework_file_loads_back_as_the_framework_graded_by(release, world, tmp_path):
    release()
    out = build(world.cycle, tmp_path / "out")
    document = validated(json.loads((out / "data" / "framework.json").read_text()))
    assert [goal.number for _, goal in document.goals()] == ["1.1", "1.2", "2.1"]
    loaded = framework_load(document).framework
    assert loaded.pk != world.cycle.framework.pk
    assert framework_document(loaded) == framework_document(world.cycle.framework)


def test_a_correction_after_the_release_replaces_the_version(publish, release, world, tmp_path):
    release()
    world.approve("MS", "1.1", Status.PARTIALLY_MET, Decimal("1"))
    cycle_recompute(cycle_id=world.cycle.id)
    note = "Goal 1.1 is partially met: one statute cited covers adults only."
    assert publish("MS", note=note).result.version == 2
    out = build(world.cycle, tmp_path / "out")
    mississippi = next(r for r in rows(out, "jurisdictions") if r["jurisdiction"] == "MS")
    assert (mississippi["version"], mississippi["errata"]) == ("2", note)
    goal = next(
        r for r in rows(out, "determinations") if (r["jurisdiction"], r["goal"]) == ("MS", "1.1")
    )
    assert (goal["status"], goal["points"]) == ("partially_met", "1")
    scores = {r["jurisdiction"]: r for r in rows(out, "scores")}
    # The released rank stays until a re-release; the total is the corrected one.
    assert (scores["MS"]["total"], scores["MS"]["rank"]) == ("6", "1")


def export_zip(world, django_capture_on_commit_callbacks) -> zipfile.ZipFile:
    with django_capture_on_commit_callbacks(execute=True):
        job = publishing.cycle_export_request(
            cycle_id=world.cycle.pk, user=world.users["publisher"]
        )
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_the_publishers_export_carries_the_open_data_only_once_released(
    publish, release, world, django_capture_on_commit_callbacks
):
    publish("MS")
    before = export_zip(world, django_capture_on_commit_callbacks)
    assert not [name for name in before.namelist() if name.startswith("public/")]
    assert "no open data: the cycle is not released yet" in before.read("README.txt").decode()
    release()
    after = export_zip(world, django_capture_on_commit_callbacks)
    assert "public/datapackage.json" in after.namelist()
    jurisdictions = after.read("public/data/jurisdictions.csv").decode()
    assert [line.split(",")[:4] for line in jurisdictions.splitlines()[1:]] == [
        ["MS", "State MS", "False", "2"],
        ["TN", "State TN", "False", "1"],
        ["AL", "State AL", "False", "1"],
    ]
