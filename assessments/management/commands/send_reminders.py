import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.commandline import date_or_error
from assessments.notifications import REMINDER_DAYS, reminders_send


def _day(text: str) -> datetime.date:
    return date_or_error(text, f"--today “{text}” is not a date written YYYY-MM-DD.")


class Command(BaseCommand):
    help = (
        f"Remind whoever holds open goals of assignments due within {REMINDER_DAYS} days, or "
        "overdue (in the app and by e-mail); each item at most once a day. Then e-mail each "
        "user who chose the daily digest their one e-mail. The daily job behind the beat "
        "schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_day, help="The day to remind as of (YYYY-MM-DD; default today)."
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        result = reminders_send(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminders for {today.isoformat()}: {result.sent} sent, {result.already} "
                f"already sent today, {result.requeued} earlier e-mail(s) queued again, "
                f"{result.digests} daily digest(s) e-mailed."
            )
        )
