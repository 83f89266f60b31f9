"""After releasing the sample cycle, the API, the national CSV and Mississippi's released PDF
agree on every figure: total, grade, rank, tie, tier, each issue's score, maximum and grade,
extra credit, and each goal's status and points (the PDF prints statuses; the points of a
goal add up to its issue's printed score)."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase

from api.models import ApiToken
from api.tokens import token_issue
from assessments.models import Cycle
from assessments.scoring import fmt, rank_label, tier_label
from reportcards import releases
from reportcards.exports import scores_csv
from reportcards.models import JobState, PublishedReportCard
from tests.factories import released_sample_on_sqlite_only
from tests.pdfs import pages_text, printed_statuses

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("media_root"),
    released_sample_on_sqlite_only,
]

STATUS_PRINTED = {
    "fully_met": "● FULLY MET",
    "partially_met": "● PARTIALLY MET",
    "not_met": "○ NOT MET",
}


@pytest.fixture(scope="module")
def released_sample(sample_world, django_db_blocker, tmp_path_factory):
    """The sample cycle released once for the module (its PDFs in a throw-away media root)."""
    from django.conf import settings

    with django_db_blocker.unblock():
        media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")
        cycle = Cycle.objects.get(year=2023)
        publisher = get_user_model().objects.get(username="publisher")
        gate = releases.cycle_gate(cycle)
        with TestCase.captureOnCommitCallbacks(execute=True):
            job = releases.cycle_release_request(
                cycle_id=cycle.pk, user=publisher, acknowledged=[w.key for w in gate.warnings]
            )
        job.refresh_from_db()
        assert job.state == JobState.DONE, job.error
        published = PublishedReportCard.objects.get(
            release=job, assessment__jurisdiction__code="MS"
        )
        with published.pdf.open("rb") as handle:
            pdf = handle.read()
        token = token_issue(ApiToken(user=publisher, name="agreement"), issued_by=None)
        yield {"cycle": cycle, "pdf": pdf, "token": token}
        settings.MEDIA_ROOT = media


@pytest.fixture
def api_card(client, released_sample):
    token = released_sample["token"]
    response = client.get(
        "/api/v1/cycles/2023/report-cards/MS", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def csv_row(released_sample):
    rows = csv.DictReader(io.StringIO(scores_csv(released_sample["cycle"])))
    return next(row for row in rows if row["jurisdiction"] == "MS")


@pytest.fixture
def pdf_text(released_sample):
    return " ".join(pages_text(released_sample["pdf"]))


def number(text: str) -> str:
    return fmt(Decimal(text))


def test_the_api_and_the_csv_agree(api_card, csv_row):
    assert (number(csv_row["total"]), csv_row["grade"]) == (
        number(api_card["total"]),
        api_card["grade"],
    )
    assert (int(csv_row["rank"]), csv_row["tied"], int(csv_row["tier"])) == (
        api_card["rank"],
        str(api_card["tied"]),
        api_card["tier"],
    )
    for issue in api_card["issues"]:
        n = issue["number"]
        assert (number(csv_row[f"issue_{n}"]), csv_row[f"issue_{n}_grade"]) == (
            number(issue["score"]),
            issue["grade"],
        )
    for line in api_card["extra_credit"]:
        assert number(csv_row[f"extra_credit_{line['code']}"]) == number(line["points"])


def test_the_api_and_the_pdf_agree(api_card, pdf_text):
    headline = (
        f"OVERALL GRADE {api_card['grade']} {number(api_card['total'])} "
        f"{tier_label(api_card['tier']).upper()} "
        f"RANKED {rank_label(api_card['rank'], api_card['tied']).upper()}"
    )
    assert headline in pdf_text
    assert headline == "OVERALL GRADE D 68.5 TIER I RANKED 10TH (TIE)"  # the seed's figures
    for issue in api_card["issues"]:
        bar = f"{number(issue['score'])} / {number(issue['max'])} {issue['grade']}"
        assert bar in pdf_text, issue["number"]
    goals = [goal for issue in api_card["issues"] for goal in issue["goals"]]
    assert len(goals) == 40
    statuses = {goal["number"]: STATUS_PRINTED[goal["status"]] for goal in goals}
    assert printed_statuses(pdf_text) == statuses


def test_each_goals_points_follow_its_status_and_add_up_to_the_printed_issue_score(api_card):
    for issue in api_card["issues"]:
        points = [Decimal(goal["points"]) for goal in issue["goals"]]
        assert sum(points) == Decimal(issue["score"]), issue["number"]
        for goal in issue["goals"]:
            earned, maximum = Decimal(goal["points"]), Decimal(goal["max_points"])
            expected = {"fully_met": earned == maximum, "not_met": earned == 0}
            assert expected.get(goal["status"], 0 < earned < maximum), goal["number"]
