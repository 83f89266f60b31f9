"""Celery tasks of publishing and exports: thin, take ids, call services, safe to repeat.

The services record every outcome on the job row (failures included), so these tasks do
not retry on their own: a failed job is shown with its error and the user asks again.
"""

from datetime import timedelta

from celery import shared_task

from . import publishing, releases


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def publish_report_card(job_id: int) -> None:
    """Render, store and record the next published version; nothing for a finished job."""
    publishing.report_card_publish(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_cycle_export(job_id: int) -> None:
    """Build and store a cycle's export ZIP; nothing for a finished job."""
    publishing.cycle_export_build(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_preview(job_id: int) -> None:
    """Render and store a draft PDF of the report card; nothing for a finished job."""
    publishing.report_card_preview_build(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def release_cycle(job_id: int) -> None:
    """Publish every card of a cycle release and freeze its standings; nothing for a
    finished job."""
    releases.cycle_release_run(job_id=job_id)


@shared_task(acks_late=True, ignore_result=True)
def start_due_releases() -> list[str]:
    """Send the scheduled cycle releases whose embargo time has come."""
    return releases.releases_start_due()


@shared_task(acks_late=True, ignore_result=True)
def requeue_stale_jobs(older_than_seconds: float = 60) -> list[str]:
    """Send again the publish, export, preview and release jobs left queued (a broker
    outage lost them)."""
    return publishing.jobs_requeue_stale(older_than=timedelta(seconds=older_than_seconds))
