"""Pages for cycles: opening a new one from the previous, comparing two for a jurisdiction
(assessments/comparison.py pairs their goals)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import Role, role_required

from .comparison import compare_goals, compare_through_crosswalk, crosswalk_between
from .cycles import cycle_create_from_previous
from .models import Assessment, Cycle, GoalDetermination
from .services import WorkflowError


class NewCycleForm(forms.Form):
    year = forms.IntegerField(min_value=1900, max_value=2999)
    previous = forms.ModelChoiceField(
        queryset=Cycle.objects.order_by("-year"),
        to_field_name="year",
        empty_label=None,
        label="Copy from",
    )
    legislative_cutoff = forms.DateField(
        required=False,
        label="Legislative cutoff",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Laws enacted as of this date are graded. Leave empty for the framework's "
        "cutoff rule (such as July 1) in the new cycle's year.",
    )
    confirm = forms.BooleanField(
        label="Copy all assessments as drafts",
        help_text="Every goal starts over as a draft and counts toward scores only once a "
        "reviewer approves it again.",
    )


@role_required(Role.ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_new(request):
    latest = Cycle.objects.order_by("-year").first()
    if latest is None:
        return render(request, "assessments/cycle_new.html", {"form": None})
    copied = latest.assessments.count()
    form = NewCycleForm(
        request.POST if request.method == "POST" else None,
        initial={"year": latest.year + 1, "previous": latest.year},
    )
    form.fields["confirm"].label = f"Copy all {copied} assessments as drafts"
    if request.method == "POST" and form.is_valid():
        try:
            result = cycle_create_from_previous(
                year=form.cleaned_data["year"],
                user=request.user,
                legislative_cutoff=form.cleaned_data["legislative_cutoff"],
                previous_year=form.cleaned_data["previous"].year,
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            cycle = result.cycle
            cutoff = cycle.legislative_cutoff
            messages.success(
                request,
                f"Opened the {cycle.year} cycle (cutoff {cutoff:%B} {cutoff.day}, {cutoff.year}): "
                f"copied {result.assessments} assessments and {result.determinations} goal "
                f"determinations from {cycle.previous.year} as drafts. Scores count only "
                "approved goals, so they start at 0 and are being recomputed.",
            )
            return redirect("assessments:list", year=cycle.year)
    return render(
        request,
        "assessments/cycle_new.html",
        {"form": form, "latest": latest, "copied": copied},
        status=400 if form.is_bound else 200,
    )


@require_safe
def compare(request, code: str, year_a: int, year_b: int):
    """Each goal's status and points in two cycles side by side (2 queries in all); through
    the crosswalk when one cycle was opened from the other on a new framework."""
    assessments = {
        assessment.cycle.year: assessment
        for assessment in Assessment.objects.select_related(
            "jurisdiction", "cycle__framework"
        ).filter(jurisdiction__code=code.upper(), cycle__year__in=[year_a, year_b])
    }
    for year in (year_a, year_b):
        if year not in assessments:
            raise Http404(f"No {year} assessment for “{code}”.")
    a, b = assessments[year_a], assessments[year_b]
    by_assessment = {a.pk: [], b.pk: []}
    for determination in (
        GoalDetermination.objects.filter(assessment_id__in=by_assessment)
        .select_related("goal__issue_area")
        .order_by("goal__ordering")
    ):
        by_assessment[determination.assessment_id].append(determination)
    scales = {"a": a.cycle.framework.rules().scale, "b": b.cycle.framework.rules().scale}
    pair = (by_assessment[a.pk], by_assessment[b.pk], scales)
    if walk := crosswalk_between(a.cycle, b.cycle):
        comparison = compare_through_crosswalk(*pair, *walk)
    else:
        comparison = compare_goals(*pair)
    return render(
        request,
        "assessments/compare.html",
        {
            "jurisdiction": a.jurisdiction,
            "a": a,
            "b": b,
            "comparison": comparison,
            "issues": comparison.issues,
            "changed": comparison.changed,
            "goal_count": comparison.goal_count,
            "other_frameworks": a.cycle.framework_id != b.cycle.framework_id,
            # The older side of a crosswalk lists several goals on a row: each says its number.
            "a_numbered": comparison.old_side == "a",
            "b_numbered": comparison.old_side == "b",
            "swap_url": reverse("assessments:compare", args=[a.jurisdiction.code, year_b, year_a]),
        },
    )
