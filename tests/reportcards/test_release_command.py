"""`release_cycle 2023 --user NAME [--at DATETIME]`: the release page's gate, request and job
from a script (exit 0 released or scheduled, 1 refused with every blocker listed).

Celery runs eagerly and the tests commit for real, so the job runs when the command's
request commits, while the command waits for it as it waits for a worker.
"""

import datetime

import pytest
from django.utils import timezone

from assessments.models import GoalDetermination, ReviewState
from assessments.recompute import cycle_recompute
from reportcards.models import JobState, PublishedReportCard, ReleaseJob
from tests.factories import small_world
from tests.scripts import run_script

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]


@pytest.fixture
def world(db):
    world = small_world(codes=("MS", "TN"))
    for code in ("MS", "TN"):
        world.approve_all(code)
    cycle_recompute(cycle_id=world.cycle.id)
    return world


@pytest.fixture
def release(capsys, world):
    """Run the command as a script would; returns (stdout, stderr, exit code)."""

    def release(*arguments):
        return run_script(capsys, "release_cycle", *arguments, "--timeout", "60")

    return release


def test_it_releases_every_card_and_waits_for_the_job(release):
    out, _, code = release("2023", "--user", "publisher")
    assert code == 0
    job = ReleaseJob.objects.get()
    assert f"Released 2 report cards of the 2023 cycle (job {job.pk})." in out
    assert job.state == JobState.DONE
    assert PublishedReportCard.objects.filter(release=job).count() == 2


def test_it_lists_every_blocker_per_jurisdiction_and_exits_1(release):
    GoalDetermination.objects.filter(goal__number__in=["1.1", "2.1"]).update(
        review_state=ReviewState.DRAFT, approved=None
    )
    _, err, code = release("2023", "--user", "publisher")
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("Blocker: ")]
    assert lines == [
        "Blocker: State MS: Goal 1.1 (draft) is not approved.",
        "Blocker: State MS: Goal 2.1 (draft) is not approved.",
        "Blocker: State TN: Goal 1.1 (draft) is not approved.",
        "Blocker: State TN: Goal 2.1 (draft) is not approved.",
    ]
    assert "4 blockers in 2 jurisdictions" in err
    assert not ReleaseJob.objects.exists()


def test_with_at_it_schedules_the_release_and_returns(release):
    at = timezone.localtime() + datetime.timedelta(days=3)
    out, _, code = release("2023", "--user", "publisher", "--at", at.strftime("%Y-%m-%dT%H:%M"))
    assert code == 0
    assert f"Scheduled the 2023 release for {at:%Y-%m-%d %H:%M}" in out
    job = ReleaseJob.objects.get()
    assert job.state == JobState.QUEUED
    assert (
        timezone.localtime(job.scheduled_for).strftime("%Y-%m-%d %H:%M") == f"{at:%Y-%m-%d %H:%M}"
    )
    assert not PublishedReportCard.objects.exists()


@pytest.mark.parametrize("at", ["tomorrow", "2026-12-10", "2026-13-40T09:00"])
def test_a_bad_time_is_refused_and_nothing_is_scheduled(release, at):
    _, err, code = release("2023", "--user", "publisher", "--at", at)
    assert code == 1
    assert f"--at “{at}” is not a date and time" in err
    assert not ReleaseJob.objects.exists()


def test_a_user_who_is_not_a_publisher_is_refused(release):
    _, err, code = release("2023", "--user", "reviewer")
    assert code == 1
    assert "Only a publisher can release a cycle." in err
    assert not ReleaseJob.objects.exists()


def test_an_unknown_cycle_or_user_is_named(release):
    assert "There is no 1999 cycle" in release("1999", "--user", "publisher")[1]
    assert "There is no active user “nobody”" in release("2023", "--user", "nobody")[1]
