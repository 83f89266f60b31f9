"""The what-if page: an analyst changes goals and sees the scores at once. A GET with the
scenario in the query string, so a scenario is shared by its URL; nothing is saved."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import Role, has_role, role_required
from statutes.selectors import bill_by_number, pending_bills

from .models import Assessment, GoalDetermination, Scenario
from .page_lookups import assessment_or_404
from .scoring import Status, fmt
from .whatif import GoalSetting, ScenarioError, what_if, what_if_data

NAME_MAX = Scenario._meta.get_field("name").max_length
BILL_NUMBER_MAX = Scenario._meta.get_field("bill_number").max_length
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


def _simulate(assessment, query):
    """(rows to show, settings, enacted, result or None, problems) for a query."""
    rows = _goal_rows(assessment)
    settings, problems = _scenario(query, rows)
    enact = [pick for pick in query.getlist("enact") if pick.strip()]
    result = None
    if not problems:
        try:
            result = what_if_data(
                what_if(assessment.cycle, assessment.jurisdiction.code, settings, enact=enact)
            )
        except ScenarioError as error:
            problems.append(str(error))
    for row in rows:
        row["status"] = query.get(f"status-{row['number']}", row["approved_status"])
        row["points"] = query.get(f"points-{row['number']}", row["approved_points_text"])
    return rows, settings, enact, result, problems


def _render(request, assessment, query, *, save_form=None, scenario=None, status=200):
    rows, settings, enact, result, problems = _simulate(assessment, query)
    return render(
        request,
        "assessments/what_if.html",
        {
            "assessment": assessment,
            "cycle": assessment.cycle,
            "rows": rows,
            "statuses": STATUS_CHOICES,
            "enacted": set(enact),
            "result": result,
            "problems": problems,
            "changed": sorted(settings) + sorted(enact),
            "query": query.urlencode(),
            "scenario": scenario,
            "save_form": save_form or {},
            "may_save": has_role(request.user, Role.ANALYST),
            "pending_bills": pending_bills(assessment.jurisdiction),
            "saved": Scenario.objects.filter(jurisdiction=assessment.jurisdiction)
            .select_related("cycle", "created_by", "bill")
            .order_by("-created_at", "-id"),
        },
        status=status,
    )


@require_safe
def what_if_page(request, code: str, year: int):
    return _render(request, assessment_or_404(code, year), request.GET)


@require_POST
@role_required(Role.ANALYST)
def scenario_save(request, code: str, year: int):
    """Save the scenario shown (its query) under a name; refused scenarios are not saved."""
    assessment = assessment_or_404(code, year)
    query = QueryDict(request.POST.get("query", ""))
    form = {
        "name": request.POST.get("name", "").strip(),
        "bill_number": request.POST.get("bill_number", "").strip(),
        "bill_text": request.POST.get("bill_text", "").strip(),
    }
    _, settings, enact, result, problems = _simulate(assessment, query)
    if not form["name"]:
        problems.append("Give the scenario a name, such as a bill number.")
    elif len(form["name"]) > NAME_MAX or len(form["bill_number"]) > BILL_NUMBER_MAX:
        problems.append(f"Names are at most {NAME_MAX} characters, bill numbers {BILL_NUMBER_MAX}.")
    if problems or result is None:
        form["problems"] = problems
        return _render(request, assessment, query, save_form=form, status=400)
    scenario = Scenario.objects.create(
        jurisdiction=assessment.jurisdiction,
        cycle=assessment.cycle,
        name=form["name"],
        bill_number=form["bill_number"],
        bill_text=form["bill_text"],
        bill=bill_by_number(assessment.jurisdiction, form["bill_number"]),
        settings=scenario_settings(settings, enact),
        created_by=request.user,
    )
    messages.success(request, f"Saved the scenario “{scenario.name}”.")
    return redirect(scenario_url(scenario))


@require_safe
def scenario_open(request, code: str, year: int, pk: int):
    """A saved scenario at its own short URL, shown on the what-if page."""
    scenario = (
        Scenario.objects.select_related("created_by", "bill")
        .filter(pk=pk, jurisdiction__code=code.upper(), cycle__year=year)
        .first()
    )
    if scenario is None:
        raise Http404(f"No saved scenario {pk} for “{code}” {year}.")
    assessment = assessment_or_404(code, year)
    return _render(request, assessment, scenario_query(scenario), scenario=scenario)


def scenario_settings(settings: dict[str, GoalSetting], enact: list[str]) -> dict:
    return {
        "goals": {
            number: {
                "status": setting.status,
                "points": None if setting.points is None else str(setting.points),
            }
            for number, setting in settings.items()
        },
        "enact": list(enact),
    }


def scenario_query(scenario: Scenario) -> QueryDict:
    """The saved settings as the what-if page's query."""
    query = QueryDict(mutable=True)
    for number, setting in scenario.settings.get("goals", {}).items():
        query[f"status-{number}"] = setting["status"]
        if setting.get("points") is not None:
            query[f"points-{number}"] = setting["points"]
    query.setlist("enact", scenario.settings.get("enact", []))
    return query


def scenario_url(scenario: Scenario) -> str:
    return reverse(
        "assessments:scenario_open",
        args=[scenario.jurisdiction.code, scenario.cycle.year, scenario.pk],
    )
