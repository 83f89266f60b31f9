"""The assignments page of a cycle: who works which jurisdiction (or goal), by when.

Publishers and admins assign many jurisdictions at once or upload a CSV file; both go
through the one validator of assessments/assignments.py, which lists every problem and
changes nothing on any.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Role, users_with_role
from core.limits import FILE_MAX_BYTES

from . import permissions
from .assignments import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    SORTS,
    AssignmentProblems,
    assignments_replace,
    bulk_rows,
    cycle_assignments,
    read_assignment_file,
)
from .models import Assessment
from .page_lookups import cycle_or_404

ASSIGNMENTS_PER_PAGE = 25


@require_http_methods(["GET", "HEAD", "POST"])
def assignments(request, year: int):
    """The list (sortable, paginated) and the bulk form; a POST assigns in bulk."""
    permissions.can_assign(request.user).enforce()
    cycle = cycle_or_404(year)
    typed, problems = {}, []
    if request.method == "POST":
        typed = {
            "jurisdictions": list(dict.fromkeys(request.POST.getlist("jurisdiction"))),
            "analyst": request.POST.get("analyst", "").strip(),
            "reviewer": request.POST.get("reviewer", "").strip(),
            "due": request.POST.get("due", "").strip(),
        }
        rows = bulk_rows(
            typed["jurisdictions"],
            analyst=typed["analyst"],
            reviewer=typed["reviewer"],
            due=typed["due"],
        )
        try:
            count = assignments_replace(
                cycle_id=cycle.pk, rows=rows, user=request.user, numbered=False
            )
        except AssignmentProblems as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                f"Assigned {count} jurisdiction(s) to {typed['analyst']} (analyst) and "
                f"{typed['reviewer']} (reviewer), due {typed['due']}.",
            )
            return redirect("assessments:assignments", year=cycle.year)
    return _page(request, cycle, typed=typed, problems=problems)


@require_POST
def assignments_import(request, year: int):
    """A CSV file of assignments: every row applied, or none and every problem listed."""
    permissions.can_assign(request.user).enforce()
    cycle = cycle_or_404(year)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise AssignmentProblems(["Choose a CSV file to import."])
        rows = read_assignment_file(upload.read(FILE_MAX_BYTES + 1))
        count = assignments_replace(cycle_id=cycle.pk, rows=rows, user=request.user)
    except AssignmentProblems as refused:
        return _page(request, cycle, import_problems=refused.problems)
    messages.success(request, f"Imported {count} assignment(s) from {upload.name}.")
    return redirect("assessments:assignments", year=cycle.year)


def _page(request, cycle, *, typed=None, problems=(), import_problems=()):
    sort = request.GET.get("sort", "jurisdiction")
    sort = sort if sort in SORTS else "jurisdiction"
    page = Paginator(cycle_assignments(cycle, sort=sort), ASSIGNMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "cycle": cycle,
        "page": page,
        "sort": sort,
        "sorts": list(SORTS),
        "query_string": f"sort={sort}",
        "jurisdictions": Assessment.objects.filter(cycle=cycle)
        .select_related("jurisdiction")
        .order_by("jurisdiction__name"),
        "analysts": users_with_role(Role.ANALYST),
        "reviewers": users_with_role(Role.REVIEWER),
        "typed": typed or {},
        "problems": problems,
        "import_problems": import_problems,
        "columns": ", ".join(COLUMNS + OPTIONAL_COLUMNS),
    }
    failed = bool(problems or import_problems)
    return render(request, "assessments/assignments.html", context, status=400 if failed else 200)
