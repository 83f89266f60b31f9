"""Pages of publishing and exports: the report card page, job progress, downloads.

Thin: parse the form, call one service of `reportcards.publishing`, render. Roles are
checked here for the pages and again by the services.
"""

from __future__ import annotations

import os

from csp.decorators import csp_update
from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import Role, role_required
from assessments import selectors as assessment_selectors
from assessments.models import Assessment, Cycle
from assessments.page_lookups import assessment_or_404, cycle_or_404
from statutes.fields import TextField

from . import edition, jobs, publishing, releases, selectors
from .gate import publish_gate
from .models import (
    ExportJob,
    JobState,
    PreviewJob,
    PublishedReportCard,
    PublishJob,
    ReleaseJob,
)


class PublishForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = TextField(
        label="Correction reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        required=True,
        error_messages={
            "required": "Tick the confirmation box: check the report card before publishing."
        },
    )

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.correction = version > 1
        self.fields["version"].initial = version
        self.fields["confirm"].label = f"I have checked this report card; publish version {version}"
        if self.correction:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = (
                f"Version {version} is a correction: give the correction reason."
            )
            self.fields["note"].help_text = (
                f"Version {version - 1} is published; say what this version corrects. "
                "It is listed with the version; after the cycle's release it is printed on "
                "the card as its errata note (what changed and why)."
            )


def _report_card_page(request, assessment, *, form=None, status=200):
    cards = selectors.published_cards(assessment)
    next_version = (cards[0].version if cards else 0) + 1
    if form is None:
        form = PublishForm(version=next_version)
    can_publish = publishing.can_publish(request.user)
    jobs_shown = selectors.publish_jobs(assessment) if can_publish else []
    return render(
        request,
        "reportcards/report_card.html",
        {
            "assessment": assessment,
            "cards": cards,
            "jobs": [(job, publish_status(job)) for job in jobs_shown],
            "next_version": next_version,
            "form": form,
            "unapproved": selectors.unapproved_goals(assessment),
            "gate": publish_gate(assessment) if can_publish else None,
            "acknowledged": set(request.POST.getlist("acknowledge")),
            "active_job": selectors.active_publish_job(assessment),
            "can_publish": can_publish,
            "cycle": assessment.cycle,
            "state": assessment_selectors.score_state(assessment.cycle),
        },
        status=status,
    )


@require_safe
def report_card(request, code: str, year: int):
    """Published versions of the report card, with publishing for publishers."""
    return _report_card_page(request, assessment_or_404(code, year))


@require_POST
@role_required(Role.PUBLISHER)
def report_card_publish(request, code: str, year: int):
    assessment = assessment_or_404(code, year)
    next_version = selectors.latest_version(assessment.pk) + 1
    form = PublishForm(request.POST, version=next_version)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _report_card_page(request, assessment, form=form, status=400)
    try:
        job = publishing.report_card_publish_request(
            assessment_id=assessment.pk,
            user=request.user,
            note=form.cleaned_data["note"],
            confirmed_version=form.cleaned_data["version"],
            acknowledged=request.POST.getlist("acknowledge"),
        )
    except publishing.PublishRefused as error:
        messages.error(request, str(error))
        # A fresh form (the next version may have changed), keeping the reason typed.
        fresh = PublishForm(
            version=selectors.latest_version(assessment.pk) + 1,
            initial={"note": form.cleaned_data["note"]},
        )
        return _report_card_page(request, assessment, form=fresh, status=409)
    messages.success(
        request,
        f"Publishing version {next_version} of {assessment.jurisdiction.name} "
        f"{assessment.cycle.year} (job {job.pk}).",
    )
    return redirect("publish_job", pk=job.pk)


@require_POST
def report_card_preview(request, code: str, year: int):
    """Ask for a draft PDF of the report card as it stands; a worker renders it."""
    assessment = assessment_or_404(code, year)
    job = publishing.report_card_preview_request(assessment_id=assessment.pk, user=request.user)
    return redirect("preview_job", pk=job.pk)


@require_safe
def report_card_download(request, code: str, year: int, version: int):
    """A published version, byte for byte as stored."""
    try:
        card = selectors.published_card(code, year, version)
    except PublishedReportCard.DoesNotExist:
        raise Http404(f"No published version {version} of “{code}” {year}.") from None
    response = FileResponse(
        card.pdf.open("rb"),
        as_attachment=True,
        filename=card.filename,
        content_type="application/pdf",
    )
    response["ETag"] = f'"{card.sha256}"'
    return response


@require_safe
def report_card_edition(request, code: str, year: int, version: int):
    """A published version's HTML edition as stored, a page of its own (its CSS inline,
    allowed by the hash of exactly that CSS). A version published before editions were
    stored, but with its document, shows the edition of that document."""
    try:
        card = selectors.published_card(code, year, version)
    except PublishedReportCard.DoesNotExist:
        raise Http404(f"No published version {version} of “{code}” {year}.") from None
    html = _stored_or_rendered_edition(card)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    if card.html:
        response["ETag"] = f'"{card.html_sha256}"'
    allow_styles = csp_update({"style-src": edition.style_hashes(html)})
    return allow_styles(lambda: response)()


def _stored_or_rendered_edition(card: PublishedReportCard) -> str:
    if card.html:
        with card.html.open("rb") as stored:
            return stored.read().decode()
    printed = card.card()
    if printed is None:
        raise Http404(
            f"Version {card.version} of {card.assessment.jurisdiction.name} "
            f"{card.assessment.cycle.year} was published before report cards had an HTML "
            "edition; its PDF is the published version."
        )
    return edition.render_edition(printed)


def job_status(job, *, kind: str | None = None, retry: bool = True) -> dict:
    """What the progress box shows; `kind` ("publish", "export" or "release") names the
    job's cancel and retry URLs. A draft preview has neither: asking again is the retry;
    a release (`retry=False`) is asked for again on its page, through the gate."""
    retry = retry and kind is not None
    return {
        "cancel_url": reverse(f"{kind}_job_cancel", args=[job.pk]) if kind else None,
        "retry_url": reverse(f"{kind}_job_retry", args=[job.pk]) if retry else None,
        "active": not job.finished,
        "retryable": job.retryable and retry,
        "attempts": job.attempts,
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "progress": job.progress,
        "message": job.message,
        "error": job.error,
        "finished": job.finished,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def publish_status(job: PublishJob) -> dict:
    card = job.result if job.state == JobState.DONE else None
    assessment = job.assessment
    return {
        **job_status(job, kind="publish"),
        "report_card_url": reverse(
            "report_card", args=[assessment.jurisdiction.code, assessment.cycle.year]
        ),
        "version": card.version if card else None,
        "sha256": card.sha256 if card else None,
        "download_url": reverse(
            "report_card_download",
            args=[assessment.jurisdiction.code, assessment.cycle.year, card.version],
        )
        if card
        else None,
    }


def export_status(job: ExportJob) -> dict:
    done = job.state == JobState.DONE and bool(job.file)
    return {
        **job_status(job, kind="export"),
        "size": job.size,
        "download_url": reverse("export_download", args=[job.pk]) if done else None,
    }


def preview_status(job: PreviewJob) -> dict:
    done = job.state == JobState.DONE and bool(job.file)
    assessment = job.assessment
    return {
        **job_status(job),
        "report_card_url": reverse(
            "report_card", args=[assessment.jurisdiction.code, assessment.cycle.year]
        ),
        "page_count": job.page_count,
        "download_url": reverse("preview_download", args=[job.pk]) if done else None,
    }


def _job_or_404(select, model, noun: str, pk: int):
    try:
        return select(pk)
    except model.DoesNotExist:
        raise Http404(f"There is no {noun} job {pk}.") from None


def _preview_job_or_404(pk: int) -> PreviewJob:
    return _job_or_404(selectors.preview_job, PreviewJob, "preview", pk)


def _publish_job_or_404(pk: int) -> PublishJob:
    return _job_or_404(selectors.publish_job, PublishJob, "publish", pk)


def _export_job_or_404(pk: int) -> ExportJob:
    return _job_or_404(selectors.export_job, ExportJob, "export", pk)


def _job_page_response(request, template: str, job, status):
    """A job's own page: the job, its assessment, and the status its page polls."""
    return render(request, template, {"job": job, "assessment": job.assessment, "status": status})


@require_safe
def preview_job(request, pk: int):
    job = _preview_job_or_404(pk)
    return _job_page_response(request, "reportcards/preview_job.html", job, preview_status(job))


@require_safe
def preview_job_status(request, pk: int):
    return JsonResponse(preview_status(_preview_job_or_404(pk)))


@require_safe
def preview_download(request, pk: int):
    """The draft PDF a preview job rendered, shown in the browser."""
    job = _preview_job_or_404(pk)
    if job.state != JobState.DONE or not job.file:
        raise Http404(
            f"Preview {pk} has no file: it is {job.get_state_display().lower()}"
            + (" and was replaced by a newer preview." if job.state == JobState.DONE else ".")
        )
    response = FileResponse(
        job.file.open("rb"), filename=job.filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@role_required(Role.PUBLISHER)
def publish_job(request, pk: int):
    job = _publish_job_or_404(pk)
    return _job_page_response(request, "reportcards/publish_job.html", job, publish_status(job))


@require_safe
@role_required(Role.PUBLISHER)
def publish_job_status(request, pk: int):
    return JsonResponse(publish_status(_publish_job_or_404(pk)))


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.PUBLISHER)
def exports(request, year: int):
    """Past exports of the cycle and a button to build a new one."""
    cycle = cycle_or_404(year)
    if request.method == "POST":
        try:
            job = publishing.cycle_export_request(cycle_id=cycle.pk, user=request.user)
        except publishing.ExportRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Building the {year} export ZIP (job {job.pk}).")
        return redirect("exports", year=year)
    jobs = selectors.export_jobs(cycle)
    return render(
        request,
        "reportcards/exports.html",
        {
            "cycle": cycle,
            "cycles": list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
            "jobs": [(job, export_status(job)) for job in jobs],
            "published_count": len(selectors.latest_cards(cycle)),
            "assessment_count": Assessment.objects.filter(cycle=cycle).count(),
            "active": any(not job.finished for job in jobs),
        },
    )


@require_safe
@role_required(Role.PUBLISHER)
def export_job_status(request, pk: int):
    return JsonResponse(export_status(_export_job_or_404(pk)))


@require_safe
@role_required(Role.PUBLISHER)
def export_download(request, pk: int):
    job = _export_job_or_404(pk)
    if job.state != JobState.DONE or not job.file:
        raise Http404(f"Export {pk} has no file: it is {job.get_state_display().lower()}.")
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=os.path.basename(job.file.name),
        content_type="application/zip",
    )


# Cancelling and retrying jobs: a confirmation page (GET), then the action (POST).

JOB_ACTIONS = {
    "cancel": {
        "publish": "Publishing stops at its next step and this job publishes nothing.",
        "export": "Building the ZIP stops at its next step and this job stores no file.",
        "release": (
            "A scheduled release never starts; a running one stops at its next step and "
            "releases nothing."
        ),
    },
    "retry": {
        "publish": (
            "A new publish job is queued with the same correction reason; every publishing "
            "rule is checked again."
        ),
        "export": "A new export job builds the cycle's ZIP from what is published now.",
    },
}


def _confirm_or_perform(request, job, *, kind: str, action: str, perform, back_url: str):
    """GET: ask to confirm `action` on the job. POST: run `perform()`, which returns the
    page to go to, or shows the refusal and goes back."""
    if request.method == "POST":
        try:
            return redirect(perform())
        except (jobs.JobNotActive, publishing.PublishRefused, publishing.ExportRefused) as error:
            messages.error(request, str(error))
            return redirect(back_url)
    return render(
        request,
        "reportcards/job_confirm.html",
        {
            "job": job,
            "action": action,
            "kind": kind,
            "explanation": JOB_ACTIONS[action][kind],
            "back_url": back_url,
        },
    )


def _release_job_or_404(pk: int) -> ReleaseJob:
    return _job_or_404(selectors.release_job, ReleaseJob, "release", pk)


_JOB_LOOKUPS = {
    "publish": _publish_job_or_404,
    "export": _export_job_or_404,
    "release": _release_job_or_404,
}

# What each action runs, and what it tells the publisher: {old} is the job acted on, {new}
# the job that now runs (a retry queues a new job; a cancel leaves the same one).
_JOB_STEPS = {
    ("publish", "cancel"): (publishing.publish_job_cancel, "Publish job {old} is cancelled."),
    ("publish", "retry"): (
        publishing.publish_job_retry,
        "Publishing again as job {new} (job {old} was retried).",
    ),
    ("export", "cancel"): (publishing.export_job_cancel, "Export job {old} is cancelled."),
    ("export", "retry"): (publishing.export_job_retry, "Building the export again as job {new}."),
    ("release", "cancel"): (releases.release_job_cancel, "Release job {old} is cancelled."),
}


def _job_page(kind: str, job) -> str:
    """Where a publisher follows a job: its own page, or the cycle's exports or release page."""
    if kind == "publish":
        return reverse("publish_job", args=[job.pk])
    if kind == "release":
        return reverse("cycle_release", args=[job.cycle.year])
    return reverse("exports", args=[job.cycle.year])


def _job_action_view(kind: str, action: str):
    """The view that confirms, then runs, `action` on a `kind` job."""
    step, message = _JOB_STEPS[kind, action]

    @require_http_methods(["GET", "HEAD", "POST"])
    @role_required(Role.PUBLISHER)
    def view(request, pk: int):
        job = _JOB_LOOKUPS[kind](pk)

        def perform():
            result = step(job_id=pk, user=request.user)
            now = result if action == "retry" else job
            messages.success(request, message.format(old=pk, new=now.pk))
            return _job_page(kind, now)

        return _confirm_or_perform(
            request, job, kind=kind, action=action, perform=perform, back_url=_job_page(kind, job)
        )

    view.__name__ = view.__qualname__ = f"{kind}_job_{action}"
    return view


publish_job_cancel = _job_action_view("publish", "cancel")
publish_job_retry = _job_action_view("publish", "retry")
export_job_cancel = _job_action_view("export", "cancel")
export_job_retry = _job_action_view("export", "retry")
release_job_cancel = _job_action_view("release", "cancel")
