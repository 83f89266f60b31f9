"""The open data of the sample cycle: nothing before the release, all 51 cards after it,
valid, and Mississippi's figures in scores.csv and determinations.csv those its released
PDF prints (read back with pypdf).

The sample is released once for the module (about three minutes: 51 PDFs), through the
release service and its job as the worker runs it.
"""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import frictionless
import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from assessments.models import Cycle
from assessments.recompute import scores_make_current
from reportcards import releases, selectors
from reportcards.models import JobState
from reportcards.opendata import NothingReleased, write_publication
from tests.factories import released_sample_on_sqlite_only

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("sample_world"),
    released_sample_on_sqlite_only,
]

TIERS = {"I": "1", "II": "2", "III": "3"}


def _release(cycle: Cycle):
    scores_make_current(cycle=cycle)
    gate = releases.cycle_gate(cycle)
    job = releases.cycle_release_request(
        cycle_id=cycle.pk,
        user=get_user_model().objects.get(username="publisher"),
        acknowledged=[warning.key for warning in gate.warnings],
    )
    # The module's transaction never commits, so run the task as the worker would.
    return releases.cycle_release_run(job_id=job.pk)


@pytest.fixture(scope="module")
def released(sample_world, django_db_blocker, tmp_path_factory):
    """The refusal before the release, then the package and Mississippi's released PDF."""
    root = tmp_path_factory.mktemp("open-data-sample")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=root / "media"):
        cycle = Cycle.objects.select_related("framework").get(year=2023)
        with pytest.raises(NothingReleased) as refusal:
            write_publication(cycle, root, lambda percent, message: None)
        job = _release(cycle)
        assert job.state == JobState.DONE, job.error
        out = root / "out"
        out.mkdir()
        write_publication(cycle, out, lambda percent, message: None)
        mississippi = next(
            card
            for card in selectors.released_cards(cycle).values()
            if card.assessment.jurisdiction.code == "MS"
        )
        with mississippi.pdf.open("rb") as handle:
            pdf = pypdf.PdfReader(io.BytesIO(handle.read()))
            text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    return str(refusal.value), out, text


def rows(out: Path, name: str) -> list[dict]:
    with (out / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_before_the_release_nothing_is_exported(released):
    refusal, _, _ = released
    assert "The 2023 cycle has not been released yet, so there is no open data" in refusal


def test_after_the_release_all_51_cards_are_in_a_valid_package(released):
    _, out, _ = released
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(rows(out, "jurisdictions")) == len(rows(out, "scores")) == 51
    assert len(rows(out, "determinations")) == 51 * 40


def test_mississippis_scores_are_those_its_pdf_prints(released):
    _, out, text = released
    scores = next(row for row in rows(out, "scores") if row["jurisdiction"] == "MS")
    tile = re.search(
        r"OVERALL GRADE ([A-F]) ([\d.]+) TIER (I+) RANKED (\d+)(?:ST|ND|RD|TH)( \(TIE\))?", text
    )
    grade, total, tier, rank, tie = tile.groups()
    assert (scores["grade"], scores["total"], scores["tier"], scores["rank"]) == (
        grade,
        total,
        TIERS[tier],
        rank,
    )
    assert scores["tied"] == str(bool(tie))
    areas = text[text.index("POINTS BY ISSUE AREA") :]
    printed = re.findall(r"(\d)\. [^/]+? ([\d.]+) / [\d.]+ ([A-F])", areas)[:6]
    assert [(n, score, grade) for n, score, grade in printed] == [
        (str(n), scores[f"issue_{n}"], scores[f"issue_{n}_grade"]) for n in range(1, 7)
    ]
    assert (scores["total"], scores["grade"], scores["rank"]) == ("68.5", "D", "10")


def test_mississippis_determinations_add_up_to_its_printed_scores(released):
    _, out, text = released
    goals = [row for row in rows(out, "determinations") if row["jurisdiction"] == "MS"]
    # Each goal's status as its analysis prints it, in order.
    analysis = text[text.index("ISSUE 1:") :]
    printed = re.findall(
        r"Policy Goal (\d+\.\d+) (?:(?!Policy Goal).)*? (FULLY MET|PARTIALLY MET|NOT MET)",
        analysis,
    )
    assert [(row["goal"], row["status"]) for row in goals] == [
        (number, status.lower().replace(" ", "_")) for number, status in printed
    ]
    scores = next(row for row in rows(out, "scores") if row["jurisdiction"] == "MS")
    for n in range(1, 7):
        points = sum(Decimal(row["points"]) for row in goals if row["issue"] == str(n))
        assert points == Decimal(scores[f"issue_{n}"]), n
