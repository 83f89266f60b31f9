"""Publishing report cards and exporting cycles (DESIGN.md §5 and §6).

The request services run in the user's request: they check the role and the rules, record
a job and queue its task once the job has committed. The work itself (rendering, storing,
zipping) runs in the task, which reports its progress on the job row so a page can follow
it. A published version is only ever created, never changed: a correction is the next
version, and every earlier file stays in storage, downloadable, under its sha256.

Queueing tolerates a broker outage the way `assessments.recompute.queue_recompute` does:
the job stays queued and the beat sweep (`requeue_stale_jobs`) sends it again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import zipfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role, has_role
from assessments import selectors as assessment_selectors
from assessments.importing import assessment_export
from assessments.models import Assessment, Cycle
from assessments.recompute import cycle_mark_stale, cycle_recompute, scores_make_current
from assessments.services import WorkflowError
from assessments.workflow_notifications import published_notify

from . import jobs, selectors
from .card_document import to_document
from .edition import render_edition
from .exports import scores_csv
from .gate import publish_gate
from .jobs import JobFailed
from .models import (
    ExportJob,
    JobState,
    PreviewJob,
    PublishedReportCard,
    PublishJob,
    ReleaseJob,
)
from .opendata import write_publication
from .pdf import page_count, render_card, render_report_card
from .pdf.data import Edition, ReportCard, report_card_data

logger = logging.getLogger(__name__)

# Jobs still queued this long after they were sent are sent again by the sweep.
STALE_QUEUED_AFTER = timedelta(minutes=1)

# The export's folder of what may be public: the open data (and what else
# opendata.PUBLICATION_WRITERS writes), as `manage.py export_open_data` writes it.
PUBLIC = "public"
PUBLIC_LINES = [
    f"  {PUBLIC}/            the open data (docs/open-data.md): released versions only, each",
    "                     jurisdiction's latest release or correction, as `manage.py",
    "                     export_open_data` writes it (pdf/ may hold newer previews)",
]
EMBARGO_LINES = [
    f"  ({PUBLIC}/)          no open data: the cycle is not released yet (embargo)",
]


class PublishRefused(WorkflowError):
    """The report card cannot be published (yet); the message says why."""


class ExportRefused(WorkflowError):
    """The export cannot be started; the message says why."""


def can_publish(user) -> bool:
    """Publishers (and admins) publish report cards and build exports; the report card
    page offers the form to exactly these users."""
    return has_role(user, Role.PUBLISHER)


def _require_publisher(user, action: str) -> None:
    if not can_publish(user):
        raise PermissionDenied(f"Only a publisher can {action}.")


def queue_publish(job: PublishJob) -> bool:
    from .tasks import publish_report_card

    return jobs.queue_job(publish_report_card, job)


def queue_export(job: ExportJob) -> bool:
    from .tasks import build_cycle_export

    return jobs.queue_job(build_cycle_export, job)


def queue_preview(job: PreviewJob) -> bool:
    from .tasks import render_preview

    return jobs.queue_job(render_preview, job)


def _label(assessment: Assessment) -> str:
    return f"{assessment.jurisdiction.name} {assessment.cycle.year}"


def unapproved_message(assessment: Assessment, unapproved) -> str:
    count = len(unapproved)
    goals = ", ".join(str(goal) for goal in unapproved)
    return (
        f"{_label(assessment)} cannot be published: {count} goal{'s' if count != 1 else ''} "
        f"{'are' if count != 1 else 'is'} not approved yet: {goals}. "
        "Every determination must be approved before publishing."
    )


# Requests (in the user's transaction)


def report_card_publish_request(
    *,
    assessment_id: int,
    user,
    note: str = "",
    confirmed_version: int | None = None,
    acknowledged=(),
) -> PublishJob:
    """Record a request to publish the assessment's next version and queue its task.

    Refused while the publish gate (reportcards/gate.py) lists a blocker or a warning not
    in `acknowledged` (warning keys the publisher ticked); a correction (a version already
    exists) needs a note saying why. `confirmed_version` is the version the user saw and
    confirmed; when someone published meanwhile the request is refused rather than
    publishing a version the user did not confirm.
    """
    _require_publisher(user, "publish a report card")
    note = note.strip()
    with transaction.atomic():
        # One publish request at a time per assessment: the check for a running job and
        # the new job are one step.
        assessment = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("jurisdiction", "cycle")
            .get(pk=assessment_id)
        )
        _refuse_by_gate(assessment, acknowledged)
        active = selectors.active_publish_job(assessment)
        if active is not None:
            raise PublishRefused(
                f"{_label(assessment)} is already being published (job {active.pk}, "
                f"{active.get_state_display().lower()}). Wait for it to finish."
            )
        releasing = selectors.release_under_way(assessment.cycle_id, timezone.now())
        if releasing is not None:
            raise PublishRefused(
                f"The {assessment.cycle.year} cycle is being released (job {releasing.pk}); "
                "publish after the release, as a correction."
            )
        latest = selectors.latest_version(assessment.pk)
        if confirmed_version is not None and confirmed_version != latest + 1:
            raise PublishRefused(
                f"You confirmed version {confirmed_version}, but the next version of "
                f"{_label(assessment)} is {latest + 1}: someone published meanwhile. "
                "Check the report card again before publishing."
            )
        if latest and not note:
            raise PublishRefused(
                f"Version {latest} of {_label(assessment)} is already published, so version "
                f"{latest + 1} is a correction: give the correction reason."
            )
        job = PublishJob.objects.create(
            assessment=assessment,
            requested_by=user,
            note=note,
            message="Waiting for a worker",
        )
        transaction.on_commit(lambda: queue_publish(job))
    return job


def _refuse_by_gate(assessment: Assessment, acknowledged) -> None:
    result = publish_gate(assessment)
    if result.blockers:
        raise PublishRefused(
            f"{_label(assessment)} cannot be published: "
            + " ".join(blocker.message for blocker in result.blockers)
        )
    if unacknowledged := result.unacknowledged(acknowledged):
        raise PublishRefused(
            "Acknowledge each warning before publishing: "
            + " ".join(warning.message for warning in unacknowledged)
        )


def cycle_export_request(*, cycle_id: int, user) -> ExportJob:
    """Record a request to build the cycle's export ZIP and queue its task."""
    _require_publisher(user, "export a cycle")
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
        active = selectors.active_export_job(cycle)
        if active is not None:
            raise ExportRefused(
                f"An export of {cycle.year} is already being built (job {active.pk}, "
                f"{active.get_state_display().lower()}). Wait for it to finish."
            )
        job = ExportJob.objects.create(
            cycle=cycle, requested_by=user, message="Waiting for a worker"
        )
        transaction.on_commit(lambda: queue_export(job))
    return job


def report_card_preview_request(*, assessment_id: int, user) -> PreviewJob:
    """Record a request to render the assessment's report card as a draft PDF and queue
    its task; the person's preview still being rendered is returned instead of a second.

    Anyone who may read the assessment may preview it (the page checks the login).
    """
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("jurisdiction", "cycle")
            .get(pk=assessment_id)
        )
        active = selectors.active_preview_job(assessment, user)
        if active is not None:
            return active
        job = PreviewJob.objects.create(
            assessment=assessment, requested_by=user, message="Waiting for a worker"
        )
        transaction.on_commit(lambda: queue_preview(job))
    return job


def _retry_refused(job, refusal) -> None:
    if not job.retryable:
        raise refusal(
            f"Job {job.pk} is {job.get_state_display().lower()}; only a failed or cancelled "
            "job can be retried."
        )


def publish_job_cancel(*, job_id: int, user) -> PublishJob:
    """Cancel a queued or running publish job (`jobs.JobNotActive` once it has ended)."""
    _require_publisher(user, "cancel publishing")
    return jobs.job_cancel(PublishJob, job_id=job_id, user=user)


def publish_job_retry(*, job_id: int, user) -> PublishJob:
    """Ask again what a failed or cancelled publish job asked for: a new job, through the
    same gate as any publish request (the rules may have changed since)."""
    _require_publisher(user, "publish a report card")
    job = PublishJob.objects.get(pk=job_id)
    _retry_refused(job, PublishRefused)
    return report_card_publish_request(assessment_id=job.assessment_id, user=user, note=job.note)


def export_job_cancel(*, job_id: int, user) -> ExportJob:
    """Cancel a queued or running export job (`jobs.JobNotActive` once it has ended)."""
    _require_publisher(user, "cancel an export")
    return jobs.job_cancel(ExportJob, job_id=job_id, user=user)


def export_job_retry(*, job_id: int, user) -> ExportJob:
    """Build again the export a failed or cancelled job was building: a new job."""
    _require_publisher(user, "export a cycle")
    job = ExportJob.objects.get(pk=job_id)
    _retry_refused(job, ExportRefused)
    return cycle_export_request(cycle_id=job.cycle_id, user=user)


def jobs_requeue_stale(*, older_than: timedelta = STALE_QUEUED_AFTER) -> list[str]:
    """The beat sweep of publish, export, preview and release jobs: send again every job
    still queued `older_than` after it was last sent (a scheduled release only once its
    time has come), and re-queue (or fail, after the last attempt) every running job whose
    lease ran out because its worker is gone."""
    from .releases import due_releases, queue_release

    handled = []
    kinds = (
        (PublishJob, queue_publish, None),
        (ExportJob, queue_export, None),
        (PreviewJob, queue_preview, None),
        # A scheduled release waits, queued, for its time: only due ones are sent again.
        (ReleaseJob, queue_release, due_releases(timezone.now())),
    )
    for model, queue, only in kinds:
        handled += jobs.jobs_requeue_queued(model, queue, older_than=older_than, only=only)
        handled += jobs.jobs_sweep_expired(model, queue)
    if handled:
        logger.info("Swept jobs: %s", ", ".join(handled))
    return handled


# The work (in the task)


def report_card_publish(*, job_id: int) -> PublishJob:
    """Render, store and record the next published version for a publish job.

    Idempotent: a finished job is left alone, and of two runs of one job (a duplicate
    message, a redelivery after a lost worker) only one records a version.
    """
    job = selectors.publish_job(job_id)
    jobs.run_job(job, "Gathering the approved determinations", _publish)
    return job


def _publish(job: PublishJob) -> None:
    assessment = assessment_selectors.assessment_for(
        job.assessment.jurisdiction.code, job.assessment.cycle.year
    )
    # Checked again: a goal may have been reopened since the request.
    unapproved = selectors.unapproved_goals(assessment)
    if unapproved:
        raise JobFailed(unapproved_message(assessment, unapproved))
    jobs.job_step(job, progress=20, message="Rendering the PDF")
    scores_make_current(cycle=assessment.cycle)  # the PDF prints current numbers
    # The gate again, on current scores: an approval or a text may have changed since the
    # request (warnings were acknowledged then).
    blockers = publish_gate(assessment).blockers
    if blockers:
        raise JobFailed(" ".join(blocker.message for blocker in blockers))
    version = selectors.latest_version(assessment.pk) + 1
    release = selectors.cycle_release(assessment.cycle_id)
    card_data = approved_card(assessment)
    if release is not None:
        # A correction after the release: a new version with its errata note, printing
        # the ranks and tiers as released (they stay until the cycle is re-released).
        card_data = as_released(card_data, release)
    edition = Edition(version, timezone.localdate(), errata=job.note if release else "")
    card, pdf, html = rendered_version(job, assessment, replace(card_data, edition=edition))
    card.note, card.release = job.note, release
    jobs.job_step(job, progress=60, message=f"Rendered {card.page_count} pages")
    jobs.job_step(job, progress=90, message=f"Storing the PDF (sha256 {card.short_sha})")
    store_version_files(card, pdf, html)
    with jobs.job_finishing(job, card.pdf, card.html):
        # Publishers of one assessment take turns here, so versions never collide.
        Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
        if selectors.latest_version(assessment.pk) != version - 1:
            raise JobFailed(
                f"Version {version} of {_label(assessment)} was published by another "
                "job meanwhile; nothing was published by this one. Publish again if "
                "it is still needed."
            )
        card.save()
        # A publication is a change the national picture is recomputed after, so the
        # stored scores are known to match what was published.
        cycle_mark_stale(cycle_id=assessment.cycle_id)
        jobs.job_done(job, f"Published version {version}", result=card)
        published_notify(card)


def as_released(card_data: ReportCard, release) -> ReportCard:
    """The card with the rank, tie and tier its cycle's release froze."""
    frozen = release.frozen(card_data.code)
    if frozen is None:
        return card_data
    return replace(card_data, rank=frozen["rank"], tied=frozen["tied"], tier=frozen["tier"])


def rendered_version(job, assessment: Assessment, card_data: ReportCard):
    """The version `card_data.edition` names, rendered: an unsaved card (the caller stores
    its files with `store_version_files` and records the card in its finishing
    transaction), its PDF and its HTML edition, both from the same `card_data`."""
    pdf = render_card(card_data, draft=False, on_page=lambda: jobs.job_heartbeat(job))
    html = render_edition(card_data).encode()
    card = PublishedReportCard(
        assessment=assessment,
        version=card_data.edition.version,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        page_count=page_count(pdf),
        html_sha256=hashlib.sha256(html).hexdigest(),
        published_by_id=job.requested_by_id,
        sources=card_data.sources.as_json(),
        document=to_document(card_data),
    )
    return card, pdf, html


def store_version_files(card: PublishedReportCard, pdf: bytes, html: bytes) -> None:
    """The version's PDF and HTML edition into storage, once, under their sha256."""
    card.pdf.save("report-card.pdf", ContentFile(pdf), save=False)
    card.html.save("report-card.html", ContentFile(html), save=False)


def delete_version_files(card: PublishedReportCard) -> None:
    """The stored files of a version that was never recorded: nothing refers to them."""
    for stored in (card.pdf, card.html):
        if stored:
            stored.storage.delete(stored.name)


def approved_card(assessment: Assessment) -> ReportCard:
    """What the published version prints, read once: every goal as approved (frozen, so an
    edit saved after approval cannot reach it, whenever it lands) and scores computed from
    exactly those approved versions. An approval landing between reading the approvals and
    reading the scores shows as a mismatch: the scores are recomputed and read again."""
    card = report_card_data(assessment)
    if not card.complete:
        raise JobFailed(f"{_label(assessment)} has goals without an approved version.")
    if not card.sources.consistent:
        cycle_recompute(cycle_id=assessment.cycle_id)
        card = report_card_data(assessment)
    if not card.sources.consistent:
        raise JobFailed(
            f"The scores of {_label(assessment)} are being recomputed after a new approval; "
            "nothing was published. Publish again in a moment."
        )
    return card


def cycle_export_build(*, job_id: int) -> ExportJob:
    """Build and store the cycle's export ZIP for an export job (idempotent)."""
    job = selectors.export_job(job_id)
    jobs.run_job(job, "Gathering the published report cards", _export)
    return job


def _stored_pdf(card: PublishedReportCard) -> bytes:
    """The published bytes, checked against the sha256 recorded at publication."""
    with card.pdf.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != card.sha256:
        raise JobFailed(
            f"The stored PDF of {_label(card.assessment)} version {card.version} does not "
            "match the sha256 recorded when it was published; it was changed outside the "
            "application. Nothing was exported."
        )
    return data


def _readme(job: ExportJob, cycle: Cycle, cards, missing, assessment_count: int, public) -> str:
    state = assessment_selectors.score_state(cycle)
    computed = (
        timezone.localtime(state.computed_at).strftime("%Y-%m-%d %H:%M %Z")
        if state and state.computed_at
        else "never"
    )
    pending = not assessment_selectors.scores_current(state)
    stale = " (a recompute was pending when this export was built)" if pending else ""
    built = timezone.localtime(timezone.now()).strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"Report Cards: {cycle.year} cycle export",
        f"Built {built} for {job.requested_by.get_username()} (export job {job.pk}).",
        "",
        "Contents",
        "  pdf/               the latest published report card of each jurisdiction listed",
        "                     below, byte for byte the published file (see its sha256)",
        "  scores.csv         every jurisdiction's issue scores and grades, extra credit,",
        "                     total, grade, rank, tie and tier, best first, as stored by",
        f"                     the last recompute ({computed}){stale}",
        f"  assessments.json   the {assessment_count} assessments of the cycle, one object each,",
        "                     in the import/export format of `manage.py export_assessment`;",
        "                     only what reviewers approved: each goal's last approved",
        "                     version, never a draft (a goal never approved is left out)",
        *(PUBLIC_LINES if public else EMBARGO_LINES),
        "  README.txt         this file",
        "",
        f"Published report cards ({len(cards)} of {assessment_count})",
    ]
    for card in cards:
        published = timezone.localtime(card.published_at).strftime("%Y-%m-%d %H:%M")
        lines.append(
            f"  pdf/{card.filename}  {card.assessment.jurisdiction.name}, version "
            f"{card.version} of {published} by {card.published_by.get_username()}, "
            f"{card.page_count} pages, sha256 {card.sha256}"
        )
    if not cards:
        lines.append("  none")
    lines += ["", f"No published report card ({len(missing)})"]
    lines += [f"  {a.jurisdiction.code}  {a.jurisdiction.name}" for a in missing] or ["  none"]
    return "\n".join(lines) + "\n"


def _add_public(job: ExportJob, cycle: Cycle, archive: zipfile.ZipFile) -> bool:
    """The publication (open data first) under public/: released versions only, so during
    an embargo it is left out. False when it was."""
    if selectors.cycle_release(cycle.pk) is None:
        return False
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)

        def progress(percent: int, message: str) -> None:
            jobs.job_step(job, progress=85 + 5 * percent // 100, message=message)

        write_publication(cycle, root, progress)
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, f"{PUBLIC}/{path.relative_to(root).as_posix()}")
    return True


def _export(job: ExportJob) -> None:
    cycle = Cycle.objects.select_related("framework").get(pk=job.cycle_id)
    assessments = list(
        Assessment.objects.filter(cycle=cycle)
        .select_related("jurisdiction", "cycle")
        .order_by("jurisdiction__code")
    )
    latest = selectors.latest_cards(cycle)
    cards, missing, exported = [], [], []
    with tempfile.TemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for index, assessment in enumerate(assessments, start=1):
                card = latest.get(assessment.pk)
                if card is None:
                    missing.append(assessment)
                else:
                    # The stored bytes, never a new render: the ZIP carries what was published.
                    archive.writestr(f"pdf/{card.filename}", _stored_pdf(card), zipfile.ZIP_STORED)
                    cards.append(card)
                exported.append(assessment_export(assessment=assessment, approved_only=True))
                jobs.job_step(
                    job,
                    progress=10 + 75 * index // len(assessments),
                    message=f"{assessment.jurisdiction.name} ({index} of {len(assessments)})",
                )
            archive.writestr("scores.csv", scores_csv(cycle))
            archive.writestr(
                "assessments.json", json.dumps(exported, indent=2, ensure_ascii=False) + "\n"
            )
            public = _add_public(job, cycle, archive)
            archive.writestr(
                "README.txt", _readme(job, cycle, cards, missing, len(assessments), public)
            )
        jobs.job_step(job, progress=90, message="Storing the ZIP")
        buffer.seek(0)
        job.file.save(job.filename, File(buffer, name=job.filename), save=False)
        size = job.file.size
    with jobs.job_finishing(job, job.file):
        message = f"{len(cards)} published report cards of {len(assessments)}"
        jobs.job_done(job, message, file=job.file.name, size=size)


def report_card_preview_build(*, job_id: int) -> PreviewJob:
    """Render and store the draft PDF of a preview job (idempotent)."""
    job = selectors.preview_job(job_id)
    jobs.run_job(job, "Reading the report card", _preview)
    return job


def _preview(job: PreviewJob) -> None:
    assessment = job.assessment
    # The draft prints current numbers too; the recompute is the worker's, not a page's.
    scores_make_current(cycle=assessment.cycle)
    jobs.job_step(job, progress=30, message="Rendering the pages")
    pdf = render_report_card(assessment, on_page=lambda: jobs.job_heartbeat(job))
    pages = page_count(pdf)
    jobs.job_step(job, progress=80, message=f"Rendered {pages} pages")
    job.file.save(job.filename, ContentFile(pdf), save=False)
    with jobs.job_finishing(job, job.file):
        jobs.job_done(job, f"Rendered {pages} pages", file=job.file.name, page_count=pages)
    _discard_earlier_previews(job)


def _discard_earlier_previews(job: PreviewJob) -> None:
    """The person's earlier draft PDFs of this assessment are replaced by the new one, so
    previews do not pile up in storage."""
    earlier = PreviewJob.objects.filter(
        assessment_id=job.assessment_id,
        requested_by_id=job.requested_by_id,
        state=JobState.DONE,
        pk__lt=job.pk,
    ).exclude(file="")
    for old in earlier:
        old.file.storage.delete(old.file.name)
        PreviewJob.objects.filter(pk=old.pk).update(
            file="", message="Replaced by a newer preview", updated_at=timezone.now()
        )
