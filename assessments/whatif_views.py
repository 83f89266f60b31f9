"""The what-if page: an analyst changes goals and sees the scores at once. A GET with the
scenario in the query string, so a scenario is shared by its URL; nothing is saved."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Assessment, Cycle, GoalDetermination
from .scoring import Status, fmt
from .whatif import GoalSetting, ScenarioError, what_if, what_if_data

STATUS_CHOICES = [(status.value, status.label) for status in Status]


def _goal_rows(assessment: Assessment) -> list[dict]:
    """Every goal with its approved status and points and its recommendations ("2.9.1")."""
    determinations = (
        GoalDetermination.objects.filter(assessment=assessment)
        .select_related("goal", "approved")
        .prefetch_related("recommendations")
        .order_by("goal__ordering")
    )
    rows = []
    for determination in determinations:
        approved = determination.approved
        goal = determination.goal
        rows.append(
            {
                "number": goal.number,
                "text": goal.text,
                "max": goal.max_points,
                "approved_status": approved.status if approved else "",
                "approved_points": approved.points if approved else None,
                "approved_points_text": _points_text(approved),
                "recommendations": [
                    (f"{goal.number}.{index}", recommendation.text)
                    for index, recommendation in enumerate(
                        determination.recommendations.all(), start=1
                    )
                ],
            }
        )
    return rows


def _points_text(approved) -> str:
    """Partial credit as typed (1.25, 2); other statuses fix their points."""
    if approved is None or approved.status != Status.PARTIALLY_MET:
        return ""
    return fmt(approved.points)


def _scenario(query, rows) -> tuple[dict[str, GoalSetting], list[str]]:
    """The goals the query changes from their approved values; points count only for
    partial credit (a status change leaves the old number behind harmlessly)."""
    settings, problems = {}, []
    for row in rows:
        number = row["number"]
        status = query.get(f"status-{number}", row["approved_status"])
        if not status:
            continue
        text = query.get(f"points-{number}", row["approved_points_text"]).strip()
        points = None
        if status == Status.PARTIALLY_MET and text:
            try:
                points = Decimal(text)
            except InvalidOperation:
                problems.append(f"Goal {number}: “{text}” is not a number.")
                continue
        if status == row["approved_status"] and (
            status != Status.PARTIALLY_MET or points == row["approved_points"]
        ):
            continue
        settings[number] = GoalSetting(status, points)
    return settings, problems


@require_safe
def what_if_page(request, code: str, year: int):
    cycle = Cycle.objects.select_related("framework").filter(year=year).first()
    assessment = (
        Assessment.objects.select_related("jurisdiction")
        .filter(cycle=cycle, jurisdiction__code=code.upper())
        .first()
    )
    if assessment is None:
        raise Http404(f"No {year} assessment for “{code}”.")
    rows = _goal_rows(assessment)
    settings, problems = _scenario(request.GET, rows)
    enact = request.GET.getlist("enact")
    result = None
    if not problems:
        try:
            result = what_if_data(what_if(cycle, code, settings, enact=enact))
        except ScenarioError as error:
            problems.append(str(error))
    for row in rows:
        row["status"] = request.GET.get(f"status-{row['number']}", row["approved_status"])
        row["points"] = request.GET.get(f"points-{row['number']}", row["approved_points_text"])
    return render(
        request,
        "assessments/what_if.html",
        {
            "assessment": assessment,
            "cycle": cycle,
            "rows": rows,
            "statuses": STATUS_CHOICES,
            "enacted": set(enact),
            "result": result,
            "problems": problems,
            "changed": sorted(settings) + sorted(enact),
        },
    )
