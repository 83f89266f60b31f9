"""Published report cards and the background jobs that make them (DESIGN.md §5 and §6).

A `PublishedReportCard` is immutable: the PDF in storage and its sha256 are written once,
by `reportcards.publishing`, and never updated; a correction is a new version. The jobs
record who asked for what and how far the worker got, so pages can show progress.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from assessments.models import Assessment, Cycle

from .card_document import from_document


def published_pdf_path(card: PublishedReportCard, filename: str) -> str:
    """report-cards/2023/MS/v1-0123456789ab.pdf: the path names what the bytes are."""
    assessment = card.assessment
    return (
        f"report-cards/{assessment.cycle.year}/{assessment.jurisdiction.code}/"
        f"v{card.version}-{card.sha256[:12]}.pdf"
    )


def published_html_path(card: PublishedReportCard, filename: str) -> str:
    """report-cards/2023/MS/v1-0123456789ab.html: the HTML edition beside its PDF, named by
    its own sha256."""
    assessment = card.assessment
    return (
        f"report-cards/{assessment.cycle.year}/{assessment.jurisdiction.code}/"
        f"v{card.version}-{card.html_sha256[:12]}.html"
    )


def export_zip_path(job: ExportJob, filename: str) -> str:
    return f"exports/{job.cycle.year}/{filename}"


def preview_pdf_path(job: PreviewJob, filename: str) -> str:
    assessment = job.assessment
    return f"previews/{assessment.cycle.year}/{assessment.jurisdiction.code}/{filename}"


class PublishedReportCard(models.Model):
    """One published version of a jurisdiction's report card for a cycle."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="published_cards"
    )
    version = models.PositiveIntegerField()
    pdf = models.FileField(upload_to=published_pdf_path, max_length=255)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the stored PDF bytes.")
    size = models.PositiveIntegerField(help_text="Bytes.")
    page_count = models.PositiveIntegerField()
    # The accessible HTML edition of the same card (reportcards/edition.py), stored at
    # publication beside the PDF; empty for versions published before editions existed.
    html = models.FileField(upload_to=published_html_path, max_length=255, blank=True)
    html_sha256 = models.CharField(
        "HTML sha256", max_length=64, blank=True, help_text="SHA-256 of the stored HTML bytes."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    note = models.TextField("correction reason", blank=True)
    sources = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the version was built from: {approvals: {goal: approval id}, "
        "scores: the stored scores and the goal versions they counted}.",
    )
    document = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The report card the PDF was rendered from (reportcards/card_document.py); "
        "empty for versions published before documents were stored.",
    )
    # Set on the versions a cycle release published and on corrections published after it:
    # only these are released (public, exported as open data); earlier versions are
    # previews for staff.
    release = models.ForeignKey(
        "ReleaseJob", null=True, blank=True, on_delete=models.PROTECT, related_name="cards"
    )

    class Meta:
        ordering = ["assessment", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version"], name="published_card_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="published_card_version_positive"
            ),
        ]

    def __str__(self):
        return f"{self.assessment} v{self.version}"

    def card(self):
        """The `ReportCard` this version printed, or None when it was published before
        versions stored their document."""
        return None if self.document is None else from_document(self.document)

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]

    @property
    def filename(self) -> str:
        """The name a download is saved under: MS-2023-v1.pdf."""
        assessment = self.assessment
        return f"{assessment.jurisdiction.code}-{assessment.cycle.year}-v{self.version}.pdf"

    @property
    def html_filename(self) -> str:
        """MS-2023-v1.html."""
        return self.filename.removesuffix(".pdf") + ".html"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)
FINISHED_STATES = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


class Job(models.Model):
    """Who asked for background work, how far it got and how it ended.

    A running job holds a lease: the worker renews `lease_expires_at` at every step
    (`reportcards.jobs`), and the beat sweep re-queues or fails a job whose lease ran out,
    since its worker is gone (killed, lost its database connection, lost its message).
    """

    ABOUT = ""  # each kind of job: the field naming what it works on
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=JobState.choices, default=JobState.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)], help_text="Percent done."
    )
    message = models.CharField(max_length=200, blank=True, help_text="What the job is doing.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Last time the task was sent to the broker; the sweep re-queues jobs left queued.
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    lease_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="A running job whose lease expired has lost its worker."
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Runs started so far.")
    attempt_log = models.TextField(blank=True, help_text="What ended earlier attempts.")
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="%(app_label)s_%(class)s_progress"
            ),
        ]

    def __str__(self):
        """The kind of job and what it works on, e.g. Export 2023 (job 7, done)."""
        kind = type(self).__name__.removesuffix("Job")
        about = getattr(self, self.ABOUT)
        return f"{kind} {about} (job {self.pk}, {self.state})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def retryable(self) -> bool:
        return self.state in (JobState.FAILED, JobState.CANCELLED)


class PublishJob(Job):
    """A request to publish the next version of an assessment's report card."""

    ABOUT = "assessment"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("correction reason", blank=True)
    result = models.OneToOneField(
        PublishedReportCard,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job",
    )


class ExportJob(Job):
    """A request to build the ZIP of a cycle: published PDFs, scores and assessments."""

    ABOUT = "cycle"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=export_zip_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")

    @property
    def filename(self) -> str:
        stamp = timezone.localtime(self.created_at).strftime("%Y%m%d-%H%M")
        return f"report-cards-{self.cycle.year}-{stamp}-{self.pk}.zip"


class PreviewJob(Job):
    """A request to render an assessment's report card as it stands, as a draft PDF.

    Rendered by a worker like a publication, never inside a web request; the file is a
    working copy for the person who asked, not a published version (it is never listed
    with the versions and is replaced by that person's next preview).
    """

    ABOUT = "assessment"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=preview_pdf_path, max_length=255, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)

    @property
    def filename(self) -> str:
        """MS-2023-preview-17.pdf: a draft, never confused with a published version."""
        assessment = self.assessment
        return f"{assessment.jurisdiction.code}-{assessment.cycle.year}-preview-{self.pk}.pdf"


class ReleaseJob(Job):
    """A publisher's release of a cycle: every jurisdiction's next version in one job,
    now or at `scheduled_for` (an embargo: the beat task queues it when due).

    `standings` freezes each jurisdiction's rank and tier as released ({code: {rank, tied,
    tier, total, grade}}); corrections published later print these, until a re-release.
    """

    ABOUT = "cycle"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    scheduled_for = models.DateTimeField(
        null=True, blank=True, help_text="Embargo: the release starts at this time."
    )
    note = models.TextField("re-release reason", blank=True)
    standings = models.JSONField(default=dict, blank=True)

    def frozen(self, code: str) -> dict | None:
        """The released rank, tie and tier of a jurisdiction (None if it was not released)."""
        return self.standings.get(code)
