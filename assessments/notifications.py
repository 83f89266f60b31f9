"""Notifications: in-app (the bell) and by e-mail, and the daily reminders of due work.

`notify` records a notification once per (user, key) and, after the commit, queues its
e-mail (Django's e-mail backend, `EMAIL_URL`; the console by default). The e-mail task
sends a notification at most once: it marks `emailed_at` in the transaction that holds the
row, and a retried or repeated task finds it marked. A notification whose e-mail could not
be queued (broker down) is queued again by the next `send_reminders`.

How it is e-mailed follows the user's `NotificationSettings`, decided when it is made: at
once, in the daily digest (`digests_send`, one e-mail with every digest notification not
e-mailed yet, run by the daily job), or not at all for a kind the user switched off.

`reminders_send` is the daily job behind `manage.py send_reminders` and the beat schedule:
for each assignment due within three days, or overdue, with goals still open, whoever
holds those goals now (the analyst for drafts, the reviewer for submitted goals) is
reminded once that day: the key holds the day.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .assignments import assignments_due
from .models import Assignment, Notification, NotificationSettings

logger = logging.getLogger(__name__)

REMINDER_DAYS = 3
EMAIL_SUBJECT_PREFIX = "[Report Cards] "


def notify(*, user, kind: str, key: str, message: str, link: str = "") -> Notification | None:
    """Record the notification unless `user` already has one with `key`; its e-mail is
    queued after the commit. Returns the new notification, None when it existed."""
    email = email_choice(user, kind)
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            user=user,
            key=key,
            defaults={"kind": kind, "message": message, "link": link, "email": email},
        )
        if created and user.email and email == Notification.Email.NOW:
            transaction.on_commit(lambda: queue_email(notification.pk))
    return notification if created else None


def email_choice(user, kind: str) -> str:
    """How a new notification of `kind` reaches `user` by e-mail, by their settings."""
    chosen = NotificationSettings.objects.filter(user=user).first()
    return chosen.email_for(kind) if chosen else Notification.Email.NOW


def queue_email(notification_id: int) -> bool:
    """Send the e-mail task to the workers; False (and a log line) when the broker is out
    of reach: the notification stays unsent and the next reminder run queues it again."""
    from .tasks import email_notification

    try:
        email_notification.delay(notification_id)
    except Exception:  # the broker, or an eager send, failed; nothing is lost
        logger.warning("Could not queue the e-mail of notification %s", notification_id)
        return False
    return True


def notification_email(*, notification_id: int) -> bool:
    """E-mail one notification unless it was e-mailed already; True when sent now."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True, email=Notification.Email.NOW)
            .first()
        )
        if notification is None or not notification.user.email:
            return False
        body = notification.message
        if notification.link:
            body += f"\n\n{settings.SITE_URL.rstrip('/')}{notification.link}"
        send_mail(
            EMAIL_SUBJECT_PREFIX + notification.get_kind_display(),
            body,
            None,  # DEFAULT_FROM_EMAIL
            [notification.user.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read (all of them without an id); how many.
    Another user's notification is never touched."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


DIGEST_SUBJECT = "Your notifications of the day"


def digest_email(*, user_id: int) -> int:
    """E-mail one user their digest: every digest notification not e-mailed yet, in one
    message; how many it held (0: nothing sent). The rows are locked and marked in the
    transaction that sends, so a repeated or retried run sends each one once."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(user_id=user_id, email=Notification.Email.DIGEST, emailed_at__isnull=True)
            .order_by("created_at", "id")
        )
        if not waiting or not waiting[0].user.email:
            return 0
        site = settings.SITE_URL.rstrip("/")
        lines = [
            f"- {n.get_kind_display()}: {n.message}" + (f"\n  {site}{n.link}" if n.link else "")
            for n in waiting
        ]
        send_mail(
            EMAIL_SUBJECT_PREFIX + DIGEST_SUBJECT,
            "\n".join(lines) + f"\n\nAll your notifications: {site}{reverse('notifications')}",
            None,
            [waiting[0].user.email],
        )
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            emailed_at=timezone.now()
        )
    return len(waiting)


def digests_send() -> int:
    """Send every user with digest notifications waiting their one e-mail; how many
    e-mails went out."""
    users = (
        Notification.objects.filter(
            email=Notification.Email.DIGEST, emailed_at__isnull=True, user__email__gt=""
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    return sum(1 for user_id in list(users) if digest_email(user_id=user_id))


@dataclass
class RemindersResult:
    sent: int = 0
    already: int = 0
    requeued: int = 0
    digests: int = 0


def _holders(assignment: Assignment):
    """(user, how many goals, what they wait for) of each person holding open goals."""
    if assignment.drafts:
        yield assignment.analyst, assignment.drafts, "to finish and submit"
    if assignment.submitted:
        yield assignment.reviewer, assignment.submitted, "to review"


def _reminder(assignment: Assignment, today: datetime.date, goals: int, waiting: str):
    scope = f"Goal {assignment.goal.number} of " if assignment.goal_id else ""
    place = f"{scope}{assignment.jurisdiction.name} ({assignment.cycle.year})"
    plural = "s" if goals > 1 else ""
    if assignment.due < today:
        kind = Notification.Kind.OVERDUE
        when = f"was due {assignment.due:%B} {assignment.due.day}"
    else:
        kind = Notification.Kind.DUE_SOON
        days = (assignment.due - today).days
        when = "is due today" if days == 0 else f"is due in {days} day{'s' if days > 1 else ''}"
    message = f"{place} {when}: {goals} goal{plural} {waiting}."
    return kind, message


def reminders_send(*, today: datetime.date) -> RemindersResult:
    """Remind whoever holds open goals of assignments due within REMINDER_DAYS of `today`,
    or overdue; each person at most once a day for each assignment."""
    result, started = RemindersResult(), timezone.now()
    for assignment in assignments_due(today, within_days=REMINDER_DAYS):
        link = reverse(
            "assessments:overview", args=[assignment.jurisdiction.code, assignment.cycle.year]
        )
        for user, goals, waiting in _holders(assignment):
            kind, message = _reminder(assignment, today, goals, waiting)
            key = f"reminder:{today.isoformat()}:assignment:{assignment.pk}:{user.pk}"
            created = notify(user=user, kind=kind, key=key, message=message, link=link)
            if created:
                result.sent += 1
            else:
                result.already += 1
    for pk in Notification.objects.filter(
        emailed_at__isnull=True,
        email=Notification.Email.NOW,
        user__email__gt="",
        created_at__lt=started,
    ).values_list("pk", flat=True):
        result.requeued += queue_email(pk)
    result.digests = digests_send()
    return result
