"""The search page (`/assessments/search/?q=…&year=…`), which the navigation's box sends to."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Cycle
from .search import QUERY_MAX_CHARS, every_group, group_hits, hit_of, words_of

HITS_PER_GROUP = 10


def _cycle(year_typed: str, cycles: list[Cycle]) -> Cycle | None:
    """The cycle asked for, else the latest one."""
    chosen = [cycle for cycle in cycles if str(cycle.year) == year_typed]
    return (chosen or cycles or [None])[0]


def _page_link(request, group, page, step: int) -> str:
    """The address of the group's previous (-1) or next (+1) page; "" when there is none."""
    if not (page.has_previous() if step < 0 else page.has_next()):
        return ""
    query = request.GET.copy()
    query[f"{group.key}_page"] = page.number + step
    return "?" + query.urlencode()


@require_safe
def search(request):
    typed = request.GET.get("q", "").strip()
    cycles = list(Cycle.objects.order_by("-year"))
    cycle = _cycle(request.GET.get("year", ""), cycles)
    problem = ""
    if len(typed) > QUERY_MAX_CHARS:
        problem = f"A search has at most {QUERY_MAX_CHARS} characters; this one has {len(typed)}."
    elif typed and not words_of(typed):
        problem = "Type a word or a number to search for."
    groups = []
    if typed and cycle is not None and not problem:
        words = words_of(typed)
        for group in every_group():
            page = Paginator(group_hits(group, cycle, typed), HITS_PER_GROUP).get_page(
                request.GET.get(f"{group.key}_page")
            )
            hits = [hit_of(group, row, cycle, words) for row in page.object_list]
            groups.append(
                {
                    "group": group,
                    "page": page,
                    "hits": hits,
                    "previous": _page_link(request, group, page, -1),
                    "next": _page_link(request, group, page, +1),
                }
            )
    context = {
        "typed": typed,
        "cycles": cycles,
        "cycle": cycle,
        "problem": problem,
        "groups": groups,
        "found": sum(entry["page"].paginator.count for entry in groups),
        "query_max": QUERY_MAX_CHARS,
    }
    return render(request, "assessments/search.html", context, status=400 if problem else 200)
