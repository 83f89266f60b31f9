"""`export_open_data 2023 -o DIR`: the cycle export job from a script, its public/ folder
written into a new or empty directory; exit 0 written, 1 the directory cannot be used or
the export failed, 2 nothing released yet.

Celery runs eagerly and the tests commit for real (a transactional database), so the job
runs when the command's request commits, while the command waits for it.
"""

import datetime
import json

import pytest

from reportcards.models import ExportJob, JobState
from tests.factories import three_states_to_release
from tests.scripts import run_script

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]


@pytest.fixture
def world(transactional_db):
    return three_states_to_release()


@pytest.fixture
def export(capsys):
    def export(*arguments):
        return run_script(capsys, "export_open_data", *arguments, "--timeout", "60")

    return export


def test_it_writes_the_package_into_a_new_directory(export, release, world, tmp_path):
    release()
    out, _, code = export("2023", "-o", str(tmp_path / "open-data"))
    assert code == 0
    job = ExportJob.objects.get()
    assert job.state == JobState.DONE and job.requested_by.username == "admin"
    written = [path for path in (tmp_path / "open-data").rglob("*") if path.is_file()]
    assert f"Wrote {len(written)} files to {tmp_path / 'open-data'} (export job {job.pk})." in out
    # The package and, beside it, the static site with a page per jurisdiction.
    assert (tmp_path / "open-data" / "index.html").is_file()
    assert (tmp_path / "open-data" / "states" / "ms.html").is_file()
    package = json.loads((tmp_path / "open-data" / "datapackage.json").read_text())
    assert package["name"] == "report-cards-2023"
    assert (tmp_path / "open-data" / "data" / "scores.csv").read_text().count("\n") == 4


def test_the_job_is_recorded_for_the_user_given(export, release, world, tmp_path):
    release()
    _, _, code = export("2023", "-o", str(tmp_path / "out"), "--user", "publisher")
    assert code == 0
    assert ExportJob.objects.get().requested_by.username == "publisher"


def test_only_a_publisher_exports(export, release, world, tmp_path):
    release()
    _, err, code = export("2023", "-o", str(tmp_path / "out"), "--user", "reviewer")
    assert code == 1 and "Only a publisher can export a cycle." in err
    assert not (tmp_path / "out").exists()


def test_before_the_release_nothing_is_exported_and_it_exits_2(export, release, world, tmp_path):
    release(at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2))
    _, err, code = export("2023", "-o", str(tmp_path / "out"))
    assert code == 2
    assert "The 2023 cycle has not been released yet" in err
    assert not ExportJob.objects.exists() and not (tmp_path / "out").exists()


def test_an_unknown_cycle_is_named(export, world, tmp_path):
    _, err, code = export("2031", "-o", str(tmp_path / "out"))
    assert code == 1 and "There is no 2031 cycle (known cycles: 2023)." in err


def test_it_never_writes_into_a_directory_that_is_not_empty(export, release, world, tmp_path):
    release()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    _, err, code = export("2023", "-o", str(tmp_path / "out"))
    assert code == 1 and "is not empty" in err
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["notes.txt"]
    assert not ExportJob.objects.exists()


def test_it_refuses_a_path_below_a_file(export, release, world, tmp_path):
    release()
    (tmp_path / "file").write_text("")
    _, err, code = export("2023", "-o", str(tmp_path / "file"))
    assert code == 1 and "is not a directory" in err
    _, err, code = export("2023", "-o", str(tmp_path / "file" / "out"))
    assert code == 1 and "is not a directory" in err
