"""Reminders e-mailed by a real Celery worker, once: the e-mail backend comes from EMAIL_URL
(here django-environ's file backend, so the test reads what the worker sent)."""

import datetime

import pytest

# Every task defined before the broker fixture finalizes the app (see test_publish_worker.py).
import assessments.tasks  # noqa: F401
import reportcards.tasks  # noqa: F401
from assessments.assignments import AssignmentRow, assignments_replace
from assessments.models import Cycle, GoalDetermination, Notification
from assessments.notifications import reminders_send

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2023, 5, 10)


@pytest.fixture
def mail_directory(tmp_path, monkeypatch):
    """Where the worker's file e-mail backend writes (the worker reads EMAIL_URL)."""
    directory = tmp_path / "mail"
    directory.mkdir()
    monkeypatch.setenv("EMAIL_URL", f"filemail:///{directory}")
    return directory


def email_runs(worker) -> int:
    """E-mail tasks the worker finished, as its log says."""
    return sum(
        1
        for line in worker.log.read_text().splitlines()
        if "email_notification[" in line and "succeeded" in line
    )


def sent(directory) -> list[str]:
    return [path.read_text() for path in sorted(directory.iterdir())]


def test_the_worker_emails_a_reminder_once(mail_directory, start_worker, users, wait_for):
    worker = start_worker()
    cycle = Cycle.objects.get(year=2023)
    assignments_replace(
        cycle_id=cycle.pk,
        rows=[
            AssignmentRow(
                row=2, jurisdiction="MS", analyst="analyst", reviewer="reviewer", due="2023-05-11"
            )
        ],
        user=users["publisher"],
    )
    # The sample's Mississippi is approved in full: one goal back to draft leaves work open.
    GoalDetermination.objects.filter(
        assessment__cycle=cycle, assessment__jurisdiction__code="MS", goal__number="1.1"
    ).update(review_state="draft")

    assert reminders_send(today=TODAY).sent == 1
    notification = Notification.objects.get()
    wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists(),
        timeout=60,
        message="the worker did not e-mail the reminder",
        log=worker.log,
    )
    mails = sent(mail_directory)
    assert len(mails) == 1
    assert "To: analyst@example.org" in mails[0]
    assert "Subject: [Report Cards] Due soon" in mails[0]

    assessments.tasks.email_notification.delay(notification.pk)  # sent again: a retry
    assert reminders_send(today=TODAY).sent == 0  # and the day's run again
    assessments.tasks.email_notification.delay(notification.pk)
    wait_for(
        lambda: email_runs(worker) >= 3,
        timeout=60,
        message="the worker did not run the repeated e-mail tasks",
        log=worker.log,
    )
    assert len(sent(mail_directory)) == 1
