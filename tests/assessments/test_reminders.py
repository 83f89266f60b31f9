"""Reminders of due and overdue work (manage.py send_reminders, the beat job), the bell of
in-app notifications and their e-mail, sent once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.assignments import AssignmentRow, assignments_replace
from assessments.models import GoalDetermination, Notification, ReviewState
from assessments.tasks import email_notification
from reportcards.celery import app
from tests.pages import parsed, text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 5, 10)


def assign(world, code, due, goal=""):
    assignments_replace(
        cycle_id=world.cycle.pk,
        rows=[
            AssignmentRow(
                row=2,
                jurisdiction=code,
                analyst="analyst",
                reviewer="reviewer",
                due=due.isoformat(),
                goal=goal,
            )
        ],
        user=world.users["publisher"],
    )


def send_reminders(today=TODAY) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--today", today.isoformat(), stdout=out)
    return out.getvalue()


def reminders():
    return sorted(
        (n.user.username, n.kind, n.message) for n in Notification.objects.select_related("user")
    )


def test_it_reminds_whoever_holds_the_open_goals_of_work_due_soon_or_overdue(world):
    assign(world, "MS", TODAY + datetime.timedelta(days=2))
    assign(world, "TN", TODAY - datetime.timedelta(days=1))
    GoalDetermination.objects.filter(
        assessment__jurisdiction__code="TN", goal__number="1.1"
    ).update(review_state=ReviewState.SUBMITTED)
    assert "3 sent" in send_reminders()
    assert reminders() == [
        ("analyst", "due_soon", "State MS (2023) is due in 2 days: 3 goals to finish and submit."),
        ("analyst", "overdue", "State TN (2023) was due May 9: 2 goals to finish and submit."),
        ("reviewer", "overdue", "State TN (2023) was due May 9: 1 goal to review."),
    ]


def test_it_reminds_at_most_once_a_day(world):
    assign(world, "MS", TODAY)
    assert "1 sent" in send_reminders()
    assert "0 sent, 1 already sent today" in send_reminders()
    assert "1 sent" in send_reminders(TODAY + datetime.timedelta(days=1))
    assert Notification.objects.count() == 2


def test_it_leaves_out_work_done_and_work_not_due_yet(world):
    assign(world, "MS", TODAY)
    assign(world, "TN", TODAY + datetime.timedelta(days=4))
    for goal in world.goals:
        world.approve("MS", goal)
    assert "0 sent" in send_reminders()
    assert not Notification.objects.exists()


def test_a_goal_assignment_is_reminded_on_its_own(world):
    assign(world, "MS", TODAY + datetime.timedelta(days=30))
    assign(world, "MS", TODAY, goal="2.1")
    send_reminders()
    assert reminders() == [
        (
            "analyst",
            "due_soon",
            "Goal 2.1 of State MS (2023) is due today: 1 goal to finish and submit.",
        )
    ]


def test_it_refuses_a_day_it_cannot_read(world):
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", "--today", "tomorrow")


def test_it_emails_each_reminder_once_after_the_commit(world, django_capture_on_commit_callbacks):
    assign(world, "MS", TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()
    assert [message.to for message in mail.outbox] == [["analyst@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "[Report Cards] Due soon"
    assert "State MS (2023) is due today" in message.body
    assert message.body.endswith(reverse("assessments:overview", args=["MS", 2023]))
    notification = Notification.objects.get()
    assert notification.emailed_at is not None
    email_notification(notification.pk)  # the task run again (a retry): nothing more is sent
    assert len(mail.outbox) == 1


def test_the_daily_job_is_in_the_beat_schedule():
    entry = app.conf.beat_schedule["send-reminders"]
    assert entry["task"] == "assessments.tasks.send_reminders"


# The bell ----------------------------------------------------------------------------------


def note(user, message, key):
    return Notification.objects.create(user=user, kind="overdue", key=key, message=message)


def test_the_bell_counts_unread_notifications_and_lists_only_the_user_s_own(client, world):
    note(world.users["analyst"], "State MS is overdue.", "a")
    note(world.users["analyst"], "State TN is overdue.", "b")
    note(world.users["reviewer"], "Someone else's.", "c")
    client.force_login(world.users["analyst"])
    page = parsed(client.get(reverse("notifications")))
    assert text(page.select_one("#nav-bell")) == "Notifications 2 unread"
    listed = [text(li) for li in page.select("#notifications li")]
    assert len(listed) == 2 and not any("Someone else" in item for item in listed)


def test_a_user_marks_their_notifications_read_and_never_another_s(client, world):
    mine = note(world.users["analyst"], "State MS is overdue.", "a")
    note(world.users["analyst"], "State TN is overdue.", "b")
    theirs = note(world.users["reviewer"], "Someone else's.", "c")
    client.force_login(world.users["analyst"])
    client.post(reverse("notification_read", args=[mine.pk]))
    client.post(reverse("notification_read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    page = parsed(client.get(reverse("notifications")))
    assert text(page.select_one("#nav-bell")) == "Notifications 1 unread"
    response = client.post(reverse("notifications_read_all"), follow=True)
    assert "Marked 1 notification(s) read." in text(parsed(response))
    assert text(parsed(response).select_one("#nav-bell")) == "Notifications"


def test_the_bell_says_when_there_is_nothing(client, world):
    client.force_login(world.users["publisher"])
    page = parsed(client.get(reverse("notifications")))
    assert "No notifications yet." in text(page.select_one("main"))
