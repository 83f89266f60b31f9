"""`publish_report_card MS 2023 --user NAME`: the publish page's gate, request and job from
a script, with exit codes a script can act on (0 published, 1 refused, 2 nothing changed).

The small world's Mississippi is ready to publish (tests/reportcards/conftest.py). Celery
runs eagerly and the tests commit for real (a transactional database), so the job runs when
the command's request commits, while the command waits for it as it waits for a worker.
"""

import io

import pypdf
import pytest

from assessments.models import Assessment, GoalDetermination, ReviewState
from reportcards.models import PublishedReportCard, PublishJob
from tests.factories import approve_texts_as_they_are
from tests.scripts import run_script

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root", "mississippi"),
]


@pytest.fixture
def publish(capsys):
    """Run the command as a script would; returns (stdout, stderr, exit code)."""

    def publish(*arguments):
        return run_script(capsys, "publish_report_card", *arguments, "--timeout", "60")

    return publish


def test_it_publishes_version_1_and_prints_what_it_stored(publish):
    out, _, code = publish("MS", "2023", "--user", "publisher")
    assert code == 0
    card = PublishedReportCard.objects.get()
    assert f"Published State MS 2023 version 1: {card.page_count} pages" in out
    assert card.sha256 in out
    with card.pdf.open("rb") as handle:
        pages = pypdf.PdfReader(io.BytesIO(handle.read())).pages
    assert len(pages) == card.page_count
    assert "STATE MS" in pages[0].extract_text()


def test_publishing_again_with_nothing_changed_exits_2(publish):
    publish("MS", "2023", "--user", "publisher")
    _, err, code = publish("MS", "2023", "--user", "publisher", "--note", "again")
    assert code == 2
    assert "Nothing changed since version 1" in err
    assert PublishedReportCard.objects.count() == 1


def test_it_lists_every_blocker_and_exits_1(publish, world):
    GoalDetermination.objects.filter(
        assessment__jurisdiction__code="MS", goal__number__in=["1.1", "1.2"]
    ).update(review_state=ReviewState.DRAFT, approved=None)
    _, err, code = publish("MS", "2023", "--user", "publisher")
    assert code == 1
    assert "Blocker: Goal 1.1" in err and "Blocker: Goal 1.2" in err
    assert "2 blockers" in err
    assert not PublishJob.objects.exists()


def test_it_prints_the_warnings_it_acknowledges(publish, mississippi):
    Assessment.objects.filter(pk=mississippi.pk).update(
        highlights=["Between 2021-2023, raised score by .5 points."]
    )
    approve_texts_as_they_are(mississippi)
    out, _, code = publish("MS", "2023", "--user", "publisher")
    assert code == 0
    assert "Acknowledged warning:" in out and "is unchecked" in out


def test_a_correction_needs_a_note(publish, world):
    publish("MS", "2023", "--user", "publisher")
    world.approve_texts("MS")  # something new to publish
    _, err, code = publish("MS", "2023", "--user", "publisher")
    assert code == 1 and "give the correction reason" in err
    out, _, code = publish("MS", "2023", "--user", "publisher", "--note", "Fixed a typo")
    assert code == 0 and "version 2" in out
    assert PublishedReportCard.objects.get(version=2).note == "Fixed a typo"


@pytest.mark.parametrize("username", ["analyst", "reviewer"])
def test_only_publishers_publish(publish, username):
    _, err, code = publish("MS", "2023", "--user", username)
    assert code == 1 and "publish" in err.lower()
    assert not PublishJob.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("MS", "2023", "--user", "nobody"), "There is no active user “nobody”"),
        (("ZZ", "2023", "--user", "publisher"), "No 2023 assessment for jurisdiction “ZZ”"),
        (("MS", "1999", "--user", "publisher"), "There is no 1999 cycle"),
    ],
)
def test_unknown_names_are_clear_errors(publish, arguments, message):
    _, err, code = publish(*arguments)
    assert code == 1 and message in err
