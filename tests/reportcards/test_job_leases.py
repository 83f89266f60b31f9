"""Jobs that always finish (issue 12): leases, the sweep, cancelling and retrying.

A worker that dies mid-job is played by a step hook (`JOB_STEP_HOOK`, which the task runs at
each step) raising a BaseException, which nothing in the task catches, as nothing runs
after a `kill -9`: the job is left running with the lease of its last step. The real kill,
on a real worker, is in tests/celery/test_job_leases_worker.py.
"""

import pytest
from django.urls import reverse

from reportcards import jobs, publishing
from reportcards.models import ExportJob, JobState, PublishedReportCard, PublishJob
from tests.pages import messages, parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "mississippi")]

REPORT_CARD = reverse("report_card", args=["MS", 2023])
EXPORTS = reverse("exports", args=[2023])
STEP_ACTIONS = {}


def step_hook(job):
    """Runs at each step of a job (settings.JOB_STEP_HOOK): what the test asked for at this
    step (once), and at every step ("*")."""
    for action in (STEP_ACTIONS.pop(job.message, None), STEP_ACTIONS.get("*")):
        if action is not None:
            action(job)


class WorkerKilled(BaseException):
    """The worker process dies here: nothing after this line runs, nothing is recorded."""


def kill_worker(job):
    raise WorkerKilled


@pytest.fixture(autouse=True)
def on_step(settings):
    settings.JOB_STEP_HOOK = f"{__name__}.step_hook"
    yield STEP_ACTIONS.__setitem__
    STEP_ACTIONS.clear()


@pytest.fixture
def publisher(world):
    return world.users["publisher"]


@pytest.fixture
def publish(django_capture_on_commit_callbacks, mississippi, publisher):
    """Ask to publish Mississippi; the task runs as the commit sends it (eager Celery)."""

    def publish(*, note="") -> PublishJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = publishing.report_card_publish_request(
                assessment_id=mississippi.pk, user=publisher, note=note
            )
        job.refresh_from_db()
        return job

    return publish


@pytest.fixture
def killed_publish(publish, on_step, settings):
    """A publish job whose worker died while rendering, leaving a lease that has run out."""
    settings.JOB_LEASE_SECONDS = 0
    on_step("Rendering the PDF", kill_worker)
    with pytest.raises(WorkerKilled):
        publish()
    settings.JOB_LEASE_SECONDS = 90
    return PublishJob.objects.get()


def sweep():
    return publishing.jobs_requeue_stale()


# The lease


def test_a_running_job_holds_a_lease_that_each_step_renews(publish, on_step, settings):
    leases = []
    on_step("*", lambda job: leases.append(PublishJob.objects.get().lease_expires_at))
    job = publish()
    assert job.state == JobState.DONE and job.attempts == 1
    assert len(leases) == 3  # rendering, rendered, storing
    assert leases == sorted(leases) and len(set(leases)) == 3
    assert job.lease_expires_at is None  # a finished job holds no lease


def test_the_sweep_leaves_a_job_with_a_live_lease_alone(publish, on_step):
    seen = {}
    on_step("Rendering the PDF", lambda job: seen.update(swept=sweep()))
    job = publish()
    assert seen["swept"] == []
    assert job.state == JobState.DONE and job.attempts == 1


def test_a_job_whose_worker_died_is_left_running(killed_publish):
    assert killed_publish.state == JobState.RUNNING
    assert killed_publish.message == "Rendering the PDF"
    assert not PublishedReportCard.objects.exists()


def test_the_sweep_retries_a_job_whose_lease_ran_out_and_says_why(killed_publish):
    assert sweep() == [f"PublishJob {killed_publish.pk} (queued)"]
    job = PublishJob.objects.get()
    # The re-sent task ran at once (eager Celery) and published.
    assert job.state == JobState.DONE and job.attempts == 2
    assert PublishedReportCard.objects.get().version == 1
    assert job.attempt_log.startswith(
        "Attempt 1: The worker stopped during “Rendering the PDF” (no heartbeat for "
    )
    assert job.attempt_log.endswith(" s); retried.\n")


def test_the_sweep_fails_a_job_after_its_last_attempt(killed_publish, settings):
    settings.JOB_MAX_ATTEMPTS = 1
    sweep()
    job = PublishJob.objects.get()
    assert job.state == JobState.FAILED
    assert job.error.startswith("The worker stopped during “Rendering the PDF”")
    assert job.error.endswith("; failed after 1 attempts.")
    assert job.lease_expires_at is None


def test_a_new_publish_works_after_a_job_failed_for_a_dead_worker(
    killed_publish, settings, publish
):
    settings.JOB_MAX_ATTEMPTS = 1
    sweep()
    job = publish()
    assert job.state == JobState.DONE
    assert PublishedReportCard.objects.get().version == 1


def test_a_late_message_cannot_take_over_a_job_with_a_live_lease(publish, on_step):
    def duplicate_message(job):
        publishing.report_card_publish(job_id=job.pk)  # a second delivery, mid-render

    on_step("Rendering the PDF", duplicate_message)
    job = publish()
    assert job.state == JobState.DONE and job.attempts == 1
    assert PublishedReportCard.objects.count() == 1


def test_a_run_taken_over_after_its_lease_ran_out_records_nothing(publish, on_step, settings):
    settings.JOB_LEASE_SECONDS = 0

    def stalls_and_is_taken_over(job):
        # This run stalled past its lease; the sweep hands the job to another run, which
        # publishes. The stalled run then wakes up at its next step.
        settings.JOB_LEASE_SECONDS = 90
        sweep()

    on_step("Rendering the PDF", stalls_and_is_taken_over)
    job = publish()
    assert job.state == JobState.DONE and job.attempts == 2
    assert PublishedReportCard.objects.count() == 1


def test_a_database_failure_is_recorded_on_the_job(publish, on_step):
    from django.db import OperationalError

    def database_gone(job):
        raise OperationalError("server closed the connection unexpectedly")

    on_step("Rendering the PDF", database_gone)
    job = publish()
    assert job.state == JobState.FAILED
    assert job.error == (
        "The database failed during “Rendering the PDF”: server closed the connection unexpectedly"
    )


# Cancelling


def test_it_asks_to_confirm_a_cancel_with_a_post_form(client, publisher, mississippi):
    job = publishing.report_card_publish_request(assessment_id=mississippi.pk, user=publisher)
    client.force_login(publisher)
    page = parsed(client.get(reverse("publish_job_cancel", args=[job.pk])))
    form = page.select_one("form#job-confirm[method=post]")
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert text(form.select_one("button")) == f"Cancel job {job.pk}"
    assert PublishJob.objects.get().state == JobState.QUEUED  # asking changed nothing


def test_a_publisher_cancels_a_queued_job_and_can_publish_again(client, publisher, mississippi):
    job = publishing.report_card_publish_request(assessment_id=mississippi.pk, user=publisher)
    client.force_login(publisher)
    response = client.post(reverse("publish_job_cancel", args=[job.pk]), follow=True)
    assert messages(response) == [f"Publish job {job.pk} is cancelled."]
    job.refresh_from_db()
    assert (job.state, job.message, job.cancelled_by) == (
        JobState.CANCELLED,
        "Cancelled by publisher",
        publisher,
    )
    publishing.report_card_publish(job_id=job.pk)  # its message arrives late: nothing happens
    assert not PublishedReportCard.objects.exists()
    assert publishing.report_card_publish_request(assessment_id=mississippi.pk, user=publisher)


def test_a_running_job_stops_at_its_next_step_when_cancelled(publish, on_step, publisher, settings):
    def cancel(job):
        publishing.publish_job_cancel(job_id=job.pk, user=publisher)

    on_step("Rendering the PDF", cancel)
    job = publish()
    assert job.state == JobState.CANCELLED
    assert not PublishedReportCard.objects.exists()
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))  # no file left behind


@pytest.mark.parametrize(
    ("action", "refusal"),
    [
        ("cancel", "Job {pk} has already ended (done); there is nothing to cancel."),
        ("retry", "Job {pk} is done; only a failed or cancelled job can be retried."),
    ],
)
def test_it_refuses_to_cancel_or_retry_a_finished_job(publish, client, publisher, action, refusal):
    job = publish()
    client.force_login(publisher)
    response = client.post(reverse(f"publish_job_{action}", args=[job.pk]), follow=True)
    assert messages(response) == [refusal.format(pk=job.pk)]
    assert PublishJob.objects.get().state == JobState.DONE  # the one job, untouched


# Retrying


@pytest.fixture
def failed_job(killed_publish, settings):
    settings.JOB_MAX_ATTEMPTS = 1
    sweep()
    return PublishJob.objects.get()


def test_the_job_page_offers_retry_for_a_failed_job_and_no_cancel(failed_job, client, publisher):
    client.force_login(publisher)
    page = parsed(client.get(reverse("publish_job", args=[failed_job.pk])))
    assert page.select_one("[data-job-retry]")["href"] == reverse(
        "publish_job_retry", args=[failed_job.pk]
    )
    assert page.select_one("[data-job-retry]").get("hidden") is None
    assert page.select_one("[data-job-cancel]").has_attr("hidden")
    assert "failed after 1 attempts" in text(page.select_one("[data-job-failed]"))
    assert "Attempt 1: The worker stopped" in text(page.select_one("#attempt-log"))


def test_a_publisher_retries_a_failed_job_from_its_page(failed_job, client, publisher):
    client.force_login(publisher)
    url = reverse("publish_job_retry", args=[failed_job.pk])
    form = parsed(client.get(url)).select_one("form#job-confirm[method=post]")
    assert text(form.select_one("button")) == f"Retry job {failed_job.pk}"
    response = client.post(url, follow=True)
    new = PublishJob.objects.exclude(pk=failed_job.pk).get()
    assert response.redirect_chain[-1][0] == reverse("publish_job", args=[new.pk])
    assert messages(response) == [
        f"Publishing again as job {new.pk} (job {failed_job.pk} was retried)."
    ]


def test_the_report_card_page_lists_publish_jobs_with_their_actions(failed_job, client, publisher):
    client.force_login(publisher)
    section = parsed(client.get(REPORT_CARD)).select_one("section[aria-labelledby=jobs-heading]")
    row = section.select("tbody tr")[0]
    assert text(row.select_one("th")) == str(failed_job.pk)
    assert text(row.select_one("[data-job-state]")) == "Failed"
    assert row.select_one("[data-job-retry]").get("hidden") is None


def test_the_status_says_what_a_user_may_do_next(killed_publish, client, publisher):
    client.force_login(publisher)
    status = client.get(reverse("publish_job_status", args=[killed_publish.pk])).json()
    assert (status["state"], status["active"], status["retryable"]) == ("running", True, False)
    assert status["cancel_url"] == reverse("publish_job_cancel", args=[killed_publish.pk])


# Exports go through the same machinery


@pytest.fixture
def export_request(publisher, world):
    return publishing.cycle_export_request(cycle_id=world.cycle.pk, user=publisher)


def test_a_publisher_cancels_an_export_from_the_list_and_builds_it_again(
    export_request, client, publisher, django_capture_on_commit_callbacks
):
    client.force_login(publisher)
    row = parsed(client.get(EXPORTS)).select_one("tbody tr")
    cancel_url = row.select_one("[data-job-cancel]")["href"]
    response = client.post(cancel_url, follow=True)
    assert messages(response) == [f"Export job {export_request.pk} is cancelled."]
    row = parsed(response).select_one("tbody tr")
    assert text(row.select_one("[data-job-state]")) == "Cancelled"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(row.select_one("[data-job-retry]")["href"], follow=True)
    new = ExportJob.objects.exclude(pk=export_request.pk).get()
    assert messages(response) == [f"Building the export again as job {new.pk}."]
    assert new.state == JobState.DONE and new.file


def test_the_sweep_retries_an_export_whose_worker_died(export_request, on_step, settings):
    settings.JOB_LEASE_SECONDS = 0
    on_step("Storing the ZIP", kill_worker)
    with pytest.raises(WorkerKilled):
        publishing.cycle_export_build(job_id=export_request.pk)
    settings.JOB_LEASE_SECONDS = 90
    sweep()
    job = ExportJob.objects.get()
    assert (job.state, job.attempts) == (JobState.DONE, 2)
    assert "“Storing the ZIP”" in job.attempt_log


def test_only_publishers_cancel_jobs_in_the_services(export_request, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        publishing.export_job_cancel(job_id=export_request.pk, user=world.users["reviewer"])
    assert ExportJob.objects.get().state == JobState.QUEUED


def test_a_cancel_of_a_finished_job_is_refused_by_the_service(export_request, publisher):
    publishing.export_job_cancel(job_id=export_request.pk, user=publisher)
    with pytest.raises(jobs.JobNotActive):
        publishing.export_job_cancel(job_id=export_request.pk, user=publisher)
