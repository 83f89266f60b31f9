"""Pages for cycles: opening a new one from the previous, comparing two for a jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import Role, role_required

from . import scoring
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


@dataclass
class ComparedGoal:
    number: str
    text: str
    a: GoalDetermination | None
    b: GoalDetermination | None

    @property
    def changed(self) -> bool:
        if self.a is None or self.b is None:
            return True
        return (self.a.status, self.a.points) != (self.b.status, self.b.points)


@dataclass
class ComparedIssue:
    number: int
    title: str
    # Each side graded on the scale of its own cycle's framework: {"a": scale, "b": scale}.
    scales: dict[str, scoring.GradingScale]
    goals: list[ComparedGoal] = field(default_factory=list)

    def _total(self, side):
        found = [getattr(g, side) for g in self.goals if getattr(g, side) is not None]
        score = sum((d.points for d in found), Decimal("0"))
        maximum = sum((d.goal.max_points for d in found), Decimal("0"))
        return {
            "score": score,
            "max": maximum,
            "grade": scoring.grade(score, maximum, self.scales[side]) if maximum else "",
        }

    @property
    def total_a(self):
        return self._total("a")

    @property
    def total_b(self):
        return self._total("b")

    @property
    def changed(self) -> int:
        return sum(1 for goal in self.goals if goal.changed)


def compare_goals(determinations_a, determinations_b, scales) -> list[ComparedIssue]:
    """Pair two assessments' determinations by goal number, grouped by issue area; `scales`
    are the grading scales of the two sides ({"a": ..., "b": ...}).

    Goals are matched by number, so a goal the later framework added or dropped shows
    up with one side empty (and counts as changed).
    """
    by_number_a = {d.goal.number: d for d in determinations_a}
    by_number_b = {d.goal.number: d for d in determinations_b}
    ordered = sorted(
        {**by_number_a, **by_number_b}.values(), key=lambda d: (d.goal.ordering, d.goal.number)
    )
    issues: dict[int, ComparedIssue] = {}
    for determination in ordered:
        goal = determination.goal
        area = goal.issue_area
        issue = issues.setdefault(area.number, ComparedIssue(area.number, area.title, scales))
        issue.goals.append(
            ComparedGoal(
                goal.number, goal.text, by_number_a.get(goal.number), by_number_b.get(goal.number)
            )
        )
    return [issues[number] for number in sorted(issues)]


@require_safe
def compare(request, code: str, year_a: int, year_b: int):
    """Each goal's status and points in two cycles side by side (2 queries in all)."""
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
    issues = compare_goals(by_assessment[a.pk], by_assessment[b.pk], scales)
    return render(
        request,
        "assessments/compare.html",
        {
            "jurisdiction": a.jurisdiction,
            "a": a,
            "b": b,
            "issues": issues,
            "changed": sum(issue.changed for issue in issues),
            "goal_count": sum(len(issue.goals) for issue in issues),
            "swap_url": reverse("assessments:compare", args=[a.jurisdiction.code, year_b, year_a]),
        },
    )
