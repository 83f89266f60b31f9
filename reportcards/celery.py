"""The Celery app, configured from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportcards.settings")

app = Celery("reportcards")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The sweep re-queues any cycle whose scores are still stale, so a recompute lost to a
# broker outage (or a crashed worker) happens on the next tick instead of never.
app.conf.beat_schedule = {
    "sweep-stale-scores": {
        "task": "assessments.tasks.sweep_stale_scores",
        "schedule": float(os.environ.get("SCORE_SWEEP_SECONDS", "60")),
    },
    # Publish and export jobs whose task was lost the same way are sent again.
    "requeue-stale-jobs": {
        "task": "reportcards.tasks.requeue_stale_jobs",
        "schedule": float(os.environ.get("JOB_SWEEP_SECONDS", "60")),
        "kwargs": {"older_than_seconds": float(os.environ.get("JOB_REQUEUE_AFTER_SECONDS", "60"))},
    },
    # Scheduled cycle releases start when their embargo time comes (to the minute).
    "start-due-releases": {
        "task": "reportcards.tasks.start_due_releases",
        "schedule": float(os.environ.get("RELEASE_CHECK_SECONDS", "30")),
    },
    # Once a day, reminders of work due within three days or overdue (manage.py
    # send_reminders does the same by hand); each item is reminded at most once a day.
    "send-reminders": {
        "task": "assessments.tasks.send_reminders",
        "schedule": crontab(hour=int(os.environ.get("REMINDERS_HOUR", "7")), minute=0),
    },
}
