"""A notification e-mailed by a real Celery worker reaches a real SMTP server: the test
runs aiosmtpd on a free port and points the worker's EMAIL_URL at it (django-environ's
`smtp://` convention, as in production)."""

import socket

import pytest
from aiosmtpd.controller import Controller

# Every task defined before the broker fixture finalizes the app (see test_publish_worker.py).
import assessments.tasks  # noqa: F401
import reportcards.tasks  # noqa: F401
from assessments.models import Notification
from assessments.notifications import notify

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


class Inbox:
    """An aiosmtpd handler keeping what it receives: (envelope recipients, message text)."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{port}")
    yield inbox
    controller.stop()


def email_runs(worker) -> int:
    """E-mail tasks the worker finished, as its log says."""
    return sum(
        1
        for line in worker.log.read_text().splitlines()
        if "email_notification[" in line and "succeeded" in line
    )


def test_the_worker_sends_a_notification_through_smtp_once(
    smtp_server, start_worker, users, wait_for
):
    worker = start_worker()
    # Committed at once (a transactional test): its e-mail task goes to the worker.
    notification = notify(
        user=users["reviewer"],
        kind=Notification.Kind.SUBMITTED,
        key="smtp-test",
        message="analyst submitted Goal 1.1 of Mississippi (2023), version 2, for your review.",
        link="/assessments/MS/2023/goals/1.1/",
    )
    wait_for(
        lambda: smtp_server.received,
        timeout=60,
        message="the SMTP server received nothing from the worker",
        log=worker.log,
    )
    recipients, message = smtp_server.received[0]
    assert recipients == [users["reviewer"].email]
    assert "Subject: [Report Cards] Submitted for your review" in message
    assert "Goal 1.1 of Mississippi (2023)" in message
    notification.refresh_from_db()
    assert notification.emailed_at is not None

    assessments.tasks.email_notification.delay(notification.pk)  # a retry, a repeat
    wait_for(
        lambda: email_runs(worker) >= 2,
        timeout=60,
        message="the worker did not run the repeated e-mail task",
        log=worker.log,
    )
    assert len(smtp_server.received) == 1
