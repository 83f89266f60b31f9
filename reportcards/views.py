"""Pages built on finished scores: the national table of a cycle."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from assessments import selectors
from assessments.models import Cycle
from core.limits import whole_number

from .national_table import national_page, provisional_page


@require_safe
def national(request):
    """The cycle's jurisdictions with total, grade, rank and tier, best first: as stored
    (official), or with `?view=provisional` as if every unapproved version counted."""
    cycles = list(Cycle.objects.select_related("framework").order_by("-year"))
    if not cycles:
        return render(request, "reportcards/national.html", {"cycles": []})
    year = whole_number(request.GET.get("cycle"))
    if year is not None:
        cycle = get_object_or_404(Cycle.objects.select_related("framework"), year=year)
        unscored = []
    else:
        cycle, unscored = _default_cycle(cycles)
    context = {
        "cycles": cycles,
        "cycle": cycle,
        "unscored_newer": unscored,
        "state": selectors.score_state(cycle),
    }
    if request.GET.get("view") == "provisional":
        table = provisional_page(cycle, request.GET.get("page"))
        context.update(provisional=True, pending_goals=table.pending_goals)
    else:
        table = national_page(cycle, request.GET.get("page"))
    context.update(page=table.page, rows=table.rows, synthetic_count=table.synthetic_count)
    return render(request, "reportcards/national.html", context)


def _default_cycle(cycles: list[Cycle]) -> tuple[Cycle, list[Cycle]]:
    """The cycle shown without `?cycle=`: the latest that has scores (the latest of all when
    none has), and the newer cycles passed over for having none yet."""
    scored = selectors.latest_scored_year(cycles)
    cycle = next((c for c in cycles if c.year == scored), cycles[0])
    return cycle, [c for c in cycles if c.year > cycle.year]


@require_safe
def score_status(request, year: int):
    """Whether the cycle's stored scores are current; polled by pages showing scores."""
    cycle = get_object_or_404(Cycle, year=year)
    state = selectors.score_state(cycle)
    return JsonResponse(
        {
            "cycle": cycle.year,
            "stale": not selectors.scores_current(state),
            "stale_since": state.stale_since.isoformat() if state and state.stale_since else None,
            "computed_at": state.computed_at.isoformat() if state and state.computed_at else None,
        }
    )


def bad_request(request, exception):
    """The 400 page; a form body over DATA_UPLOAD_MAX_MEMORY_SIZE is said so in words."""
    too_big = isinstance(exception, RequestDataTooBig)
    context = {"too_big": too_big, "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20}
    return render(request, "400.html", context, status=400)


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on a page that names no icon (a stored HTML edition is
    a document of its own): the app's icon. Not permanent, as the stored file's name
    changes with its content in production."""
    return redirect(static("favicon.svg"))
