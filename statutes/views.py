"""The statute library: browse, search, read, add and edit statutes, and their history.

Every logged-in user may read (LoginRequiredMiddleware); adding and editing need the
Analyst role (admins pass too). Views parse the form, call one service and render.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import Role, role_required
from core.conflicts import EditConflict, rebased
from core.retry import TryAgain

from . import selectors, services
from .forms import BillEditForm, BillForm, StatuteEditForm, StatuteForm

STATUTES_PER_PAGE = 25
BILLS_PER_PAGE = 25
VERSIONS_PER_PAGE = 20


@require_safe
def index(request):
    """The 51 jurisdictions with how many statutes each has."""
    jurisdictions = selectors.jurisdictions_with_statute_counts()
    return render(request, "statutes/index.html", {"jurisdictions": jurisdictions})


@require_safe
def statute_list(request, code):
    jurisdiction = selectors.jurisdiction_by_code(code)
    query = request.GET.get("q", "").strip()
    statutes = selectors.statute_search(jurisdiction=jurisdiction, query=query)
    page = Paginator(statutes, STATUTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "statutes/list.html",
        {"jurisdiction": jurisdiction, "query": query, "page": page},
    )


@require_safe
def statute_detail(request, code, pk):
    statute = selectors.statute_for(code=code, pk=pk)
    return render(
        request,
        "statutes/detail.html",
        {
            "jurisdiction": statute.jurisdiction,
            "statute": statute,
            "paragraphs": selectors.text_paragraphs(statute.text),
            "citations": selectors.statute_citations(statute),
            "latest": selectors.statute_latest_record(statute),
        },
    )


@require_safe
def statute_history(request, code, pk):
    statute = selectors.statute_for(code=code, pk=pk)
    page = Paginator(selectors.statute_history(statute), VERSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "statutes/history.html",
        {
            "jurisdiction": statute.jurisdiction,
            "statute": statute,
            "page": page,
            "entries": selectors.statute_history_page(statute, page),
        },
    )


@require_safe
def bill_list(request, code):
    """The jurisdiction's bills: where each stands and when it was enacted and takes effect."""
    jurisdiction = selectors.jurisdiction_by_code(code)
    page = Paginator(selectors.bills_of(jurisdiction), BILLS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "statutes/bills.html", {"jurisdiction": jurisdiction, "page": page})


@require_safe
def bill_history(request, code, pk):
    bill = selectors.bill_for(code=code, pk=pk)
    history = bill.history.select_related("history_user").order_by("-history_id")
    page = Paginator(history, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "statutes/bill_history.html",
        {
            "jurisdiction": bill.jurisdiction,
            "bill": bill,
            "page": page,
            "entries": selectors.statute_history_page(bill, page, fields=selectors.BILL_FIELDS),
        },
    )


# Adding and editing: one add view and one edit view, for statutes and for bills.


@dataclass(frozen=True)
class _Pages:
    """What tells a statute's add and edit pages from a bill's (a row of the table below)."""

    add_form: type
    edit_form: type
    template: str
    find: Callable  # the record of (code=, pk=), or 404
    label: str  # the field that names the record in "Saved …"
    then: Callable  # the record -> the URL a saved one leads to


def _add_view(pages: _Pages):
    @require_http_methods(["GET", "HEAD", "POST"])
    @role_required(Role.ANALYST)
    def add(request, code):
        jurisdiction = selectors.jurisdiction_by_code(code)
        form = pages.add_form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                record = services.library_add(
                    jurisdiction=jurisdiction, data=form.service_data(), user=request.user
                )
            except (ValidationError, TryAgain) as error:
                form.add_error(None, str(error) if isinstance(error, TryAgain) else error)
            else:
                messages.success(request, f"Added {record}.")
                return redirect(pages.then(record))
        name = pages.add_form._meta.model._meta.model_name
        context = {"jurisdiction": jurisdiction, "form": form, name: None}
        return render(request, pages.template, context)

    return add


def _edit_view(pages: _Pages):
    """The edit page, by the project's conflict convention (core.conflicts): a newer version
    saved meanwhile shows theirs next to the user's, and a busy database asks to try again
    (both 409)."""

    @require_http_methods(["GET", "HEAD", "POST"])
    @role_required(Role.ANALYST)
    def edit(request, code, pk):
        record = pages.find(code=code, pk=pk)
        name = record._meta.model_name
        context = {"jurisdiction": record.jurisdiction, name: record}
        if request.method != "POST":
            initial = {"version": record.version}
            form = pages.edit_form(instance=copy.copy(record), initial=initial)
            return render(request, pages.template, {**context, "form": form})

        form = pages.edit_form(request.POST, instance=copy.copy(record))
        if form.is_valid():
            try:
                services.library_update(
                    pk=record.pk,
                    expected_version=form.cleaned_data["version"],
                    data=form.service_data(),
                    change_reason=form.cleaned_data["change_reason"],
                    user=request.user,
                )
            except type(record).DoesNotExist:
                raise Http404(f"The {name} was deleted meanwhile.") from None
            except EditConflict as conflict:
                context |= _conflict_context(conflict, form)
                form = pages.edit_form(rebased(request.POST, conflict), instance=copy.copy(record))
            except ValidationError as error:
                form.add_error(None, error)
            except TryAgain as error:
                form.add_error(None, str(error))
                context["busy"] = True
            else:
                messages.success(request, f"Saved {form.cleaned_data[pages.label]}.")
                return redirect(pages.then(record))
        status = 409 if "conflict" in context or "busy" in context else 200
        return render(request, pages.template, {**context, "form": form}, status=status)

    return edit


def _detail(statute) -> str:
    return reverse("statutes:detail", kwargs={"code": statute.jurisdiction.code, "pk": statute.pk})


def _bills(bill) -> str:
    return reverse("statutes:bills", kwargs={"code": bill.jurisdiction.code})


def _conflict_context(conflict: EditConflict, form) -> dict:
    """Their saved version next to the user's, and who saved it, when and why."""
    yours = form.service_data()
    return {
        "conflict": True,
        "latest": selectors.statute_latest_record(conflict.current),
        "comparison": selectors.version_comparison(
            conflict.current, yours, fields=form._meta.fields
        ),
    }


STATUTE_PAGES = _Pages(
    StatuteForm, StatuteEditForm, "statutes/form.html", selectors.statute_for, "citation", _detail
)
BILL_PAGES = _Pages(
    BillForm, BillEditForm, "statutes/bill_form.html", selectors.bill_for, "number", _bills
)
statute_new = _add_view(STATUTE_PAGES)
statute_edit = _edit_view(STATUTE_PAGES)
bill_new = _add_view(BILL_PAGES)
bill_edit = _edit_view(BILL_PAGES)
