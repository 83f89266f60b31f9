"""The release page of a cycle (publishers) and its changelog of corrections (every role).

Thin: the gate, the request and the cancel are `reportcards.releases`'; cancelling a
scheduled release goes through the job confirmation of `publishing_views`.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import Role, role_required
from assessments.models import Cycle
from assessments.page_lookups import cycle_or_404
from statutes.fields import TextField

from . import releases, selectors
from .models import ReleaseJob
from .publishing_views import job_status

CHANGELOG_PAGE_SIZE = 25


class ReleaseForm(forms.Form):
    at = forms.DateTimeField(
        label="Release at (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="Empty: release now. A time: an embargo; nothing of the cycle is released "
        "before it.",
    )
    note = TextField(
        label="Re-release reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    acknowledge = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledge"].choices = [(w.key, w.message) for w in warnings]


def release_status(job: ReleaseJob) -> dict:
    """What the progress box shows; a failed release is asked for again on the page."""
    return {**job_status(job, kind="release", retry=False), "download_url": None}


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.PUBLISHER)
def cycle_release(request, year: int):
    """The gate of every jurisdiction, the release form (now or scheduled) and the
    cycle's releases with their progress."""
    cycle = cycle_or_404(year)
    gate = releases.cycle_gate(cycle)
    form = ReleaseForm(request.POST or None, warnings=gate.warnings)
    if request.method == "POST":
        if form.is_valid():
            _request_release(request, cycle, form.cleaned_data)
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return redirect("cycle_release", year=year)
    jobs = selectors.release_jobs(cycle)
    return render(
        request,
        "reportcards/release.html",
        {
            "cycle": cycle,
            "gate": gate,
            "blocked": gate.blockers,
            "form": form,
            "release": selectors.cycle_release(cycle.pk),
            "active": selectors.active_release_job(cycle),
            "jobs": [(job, release_status(job)) for job in jobs],
            "now": timezone.localtime(),
        },
    )


def _request_release(request, cycle: Cycle, data: dict) -> None:
    at = data["at"]
    if isinstance(at, datetime.datetime) and timezone.is_naive(at):
        at = timezone.make_aware(at)
    try:
        job = releases.cycle_release_request(
            cycle_id=cycle.pk,
            user=request.user,
            at=at,
            acknowledged=data["acknowledge"],
            note=data["note"],
        )
    except releases.ReleaseRefused as error:
        messages.error(request, " ".join([str(error), *releases.blocker_lines(error.blockers)]))
        return
    if job.scheduled_for:
        when = timezone.localtime(job.scheduled_for).strftime("%Y-%m-%d %H:%M %Z")
        messages.success(request, f"The {cycle.year} release is scheduled for {when}.")
    else:
        messages.success(request, f"Releasing {cycle.year} (job {job.pk}).")


@require_safe
@role_required(Role.PUBLISHER)
def release_job_status(request, pk: int):
    try:
        job = selectors.release_job(pk)
    except ReleaseJob.DoesNotExist:
        raise Http404(f"There is no release job {pk}.") from None
    return JsonResponse(release_status(job))


@require_safe
def cycle_changelog(request, year: int):
    """Corrections published after the cycle's release, each with what changed and why."""
    cycle = cycle_or_404(year)
    page = Paginator(selectors.corrections(cycle), CHANGELOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reportcards/changelog.html",
        {
            "cycle": cycle,
            "release": selectors.cycle_release(cycle.pk),
            "page": page,
            "release_url": reverse("cycle_release", args=[year]),
        },
    )
