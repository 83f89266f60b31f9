"""The worker outlives a Redis restart while it holds a job's message (issue 12).

On Celery 5.7.0 with Redis's ack emulation, a worker whose main process was waiting on
the queue for more work while a task ran exited when Redis went away: "Unrecoverable
error: AttributeError(... 'hostname')" (docs/production.md, "When Redis restarts"). The
production worker runs a prefork pool, so it is always in that state while it works;
this test runs one (two processes, one busy with a slow publish) and restarts Redis in
the middle of the job.
"""

import pytest

# Tasks defined before the `broker` fixture closes the app (see test_publish_worker.py).
import assessments.tasks  # noqa: F401
import reportcards.tasks  # noqa: F401
from reportcards.models import JobState, PublishedReportCard
from tests.celery.test_job_leases_worker import finished, publish_and_wait, rendering_job

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("slow_short_leased_jobs"),
]


def test_a_redis_restart_mid_publish_leaves_the_worker_running_and_the_job_ended(
    start_worker, broker, users, wait_for
):
    worker, job = rendering_job(start_worker, users, wait_for, processes=2)
    broker.stop()
    broker.start()  # empty: no persistence, every queued message is gone

    job = finished(job, wait_for, worker, message="the job under way at the restart did not end")
    assert job.state in (JobState.DONE, JobState.FAILED), job.error
    assert worker.process.poll() is None, "the worker exited:\n" + worker.log.read_text()[-3000:]

    # The same worker takes the next publish from the new Redis.
    again = publish_and_wait(users, wait_for, worker, note="Published after a Redis restart")
    assert again.state == JobState.DONE
    assert PublishedReportCard.objects.latest().note == "Published after a Redis restart"
    assert worker.process.poll() is None
