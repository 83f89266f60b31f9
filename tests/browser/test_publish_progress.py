"""Publishing in a real browser: confirm with the keyboard, then follow the job's progress.

Every test starts from the small world, committed for the live server (tests/browser/conftest.py).
"""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reportcards.models import JobState, PublishJob
from tests.factories import ready_to_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_publishes_after_the_confirmation_using_only_the_keyboard(
    page: Page, live_server, log_in, world
):
    mississippi = ready_to_publish(world)
    log_in("publisher")
    page.goto(f"{live_server.url}/assessments/MS/2023/")
    page.get_by_role("link", name="Report card", exact=True).click()
    confirm = page.get_by_label("I have checked this report card; publish version 1")
    confirm.focus()
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Publish version 1")).to_be_focused()
    page.keyboard.press("Enter")
    heading = f"Publishing the {mississippi.jurisdiction.name} 2023 report card"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("link", name="Download the published PDF")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")


def test_it_follows_a_running_job_until_it_fails(page: Page, live_server, log_in, world):
    job = PublishJob.objects.create(
        assessment=world.assessments["MS"], requested_by=world.users["publisher"]
    )
    log_in("publisher")
    page.goto(f"{live_server.url}/jobs/publish/{job.pk}/")
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "0")

    PublishJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, progress=60, message="Rendered 40 pages"
    )
    expect(bar).to_have_attribute("aria-valuenow", "60")
    expect(page.get_by_text("Rendered 40 pages", exact=True)).to_be_visible()

    PublishJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error="The disk is full.", finished_at=timezone.now()
    )
    expect(page.get_by_role("alert").filter(has_text="The disk is full.")).to_be_visible()
    expect(page.get_by_role("link", name="Download the published PDF")).to_be_hidden()


def test_it_offers_retry_once_a_followed_job_fails_and_publishes_on_retry(
    page: Page, live_server, log_in, world
):
    mississippi = ready_to_publish(world)
    job = PublishJob.objects.create(assessment=mississippi, requested_by=world.users["publisher"])
    log_in("publisher")
    page.goto(f"{live_server.url}/jobs/publish/{job.pk}/")
    cancel = page.get_by_role("link", name=f"Cancel job {job.pk}")
    retry = page.get_by_role("link", name=f"Retry job {job.pk}")
    expect(cancel).to_be_visible()
    expect(retry).to_be_hidden()

    PublishJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error="The worker stopped.", finished_at=timezone.now()
    )
    expect(retry).to_be_visible()
    expect(cancel).to_be_hidden()
    retry.click()
    page.get_by_role("button", name=f"Retry job {job.pk}").click()
    expect(page.get_by_role("link", name="Download the published PDF")).to_be_visible()
    assert PublishJob.objects.exclude(pk=job.pk).get().state == JobState.DONE
