"""Celery tasks: thin, take ids, call services, safe to repeat."""

from celery import shared_task

from .recompute import cycle_recompute


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
    """Recompute a cycle's snapshots; returns how many jurisdictions were scored."""
    return len(cycle_recompute(cycle_id=cycle_id))
