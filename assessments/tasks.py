"""Celery tasks: thin, take ids, call services, safe to repeat."""

import logging

from celery import shared_task
from django.utils import timezone

from .notifications import notification_email, reminders_send
from .recompute import cycle_recompute_queued, cycle_recompute_sweep

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_cycle(self, cycle_id: int) -> int:
    """Recompute a cycle's snapshots unless an earlier run counted every change; returns
    how many jurisdictions were scored (0 for none)."""
    return cycle_recompute_queued(cycle_id=cycle_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_stale_scores() -> list[int]:
    """Queue a recompute for every cycle whose scores are still stale with none on the way."""
    stale = cycle_recompute_sweep()
    if stale:
        logger.info("Re-queued recompute for stale cycles %s", stale)
    return stale


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OSError,),  # the mail server out of reach: try again later
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def email_notification(notification_id: int) -> bool:
    """E-mail one notification; nothing when it was e-mailed already (a retry, a repeat)."""
    return notification_email(notification_id=notification_id)


@shared_task(acks_late=True, ignore_result=True)
def send_reminders() -> int:
    """The daily reminders of due and overdue work (beat); how many were sent."""
    return reminders_send(today=timezone.localdate()).sent
