"""One goal across the country (`/assessments/goal/<year>/<number>/`)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .board import STATES
from .goal_across import STATUSES, cycle_goal, goal_across, narrative_start
from .models import Cycle, PolicyGoal

ROWS_PER_PAGE = 60  # every jurisdiction of a cycle on one page


@require_safe
def goal_across_country(request, year: int, number: str):
    try:
        cycle, goal = cycle_goal(year, number)
    except (Cycle.DoesNotExist, PolicyGoal.DoesNotExist):
        raise Http404(f"No goal {number} in a {year} cycle.") from None
    status = request.GET.get("status", "")
    state = request.GET.get("state", "")
    page = Paginator(goal_across(cycle, goal, status=status, state=state), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for determination in page.object_list:
        determination.narrative_start = narrative_start(determination.narrative)
        determination.state_label = STATES[determination.board_state]
    context = {
        "cycle": cycle,
        "goal": goal,
        "page": page,
        "statuses": STATUSES,
        "states": STATES,
        "status": status if status in STATUSES else "",
        "state": state if state in STATES else "",
    }
    return render(request, "assessments/goal_across.html", context)
