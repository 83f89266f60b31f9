"""The statute library: browse, search, read, add and edit statutes, and their history.

Every logged-in user may read (LoginRequiredMiddleware); adding and editing need the
Analyst role (admins pass too). Views parse the form, call one service and render.
"""

import copy
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
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


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ANALYST)
def statute_new(request, code):
    return _new_page(
        request,
        code,
        form_class=StatuteForm,
        template="statutes/form.html",
        then=lambda statute: ("statutes:detail", {"pk": statute.pk}),
    )


def _new_page(request, code, *, form_class, template, then):
    """The add page of a statute or bill; once added, says so and redirects to the view
    `then(record)` names (a view name and its arguments besides the jurisdiction's code)."""
    jurisdiction = selectors.jurisdiction_by_code(code)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.library_add(
                jurisdiction=jurisdiction, data=form.service_data(), user=request.user
            )
        except (ValidationError, TryAgain) as error:
            form.add_error(None, str(error) if isinstance(error, TryAgain) else error)
        else:
            messages.success(request, f"Added {record}.")
            view, arguments = then(record)
            return redirect(view, code=jurisdiction.code, **arguments)
    name = form_class._meta.model._meta.model_name
    return render(request, template, {"jurisdiction": jurisdiction, "form": form, name: None})


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ANALYST)
def statute_edit(request, code, pk):
    statute = selectors.statute_for(code=code, pk=pk)

    def saved(form):
        messages.success(request, f"Saved {form.cleaned_data['citation']}.")
        return redirect("statutes:detail", code=statute.jurisdiction.code, pk=statute.pk)

    return _edit_page(
        request,
        statute,
        form_class=StatuteEditForm,
        template="statutes/form.html",
        update=partial(services.statute_update, statute_id=statute.pk),
        saved=saved,
    )


def _edit_page(request, record, *, form_class, template, update, saved):
    """The edit page of a statute or bill, by the project's conflict convention
    (core.conflicts): `update` (the service, given the form's version, data and reason)
    saves a valid form and `saved(form)` answers; a newer version saved meanwhile shows
    theirs next to the user's, and a busy database asks to try again (both 409)."""
    name = record._meta.model_name
    context = {"jurisdiction": record.jurisdiction, name: record}
    if request.method != "POST":
        form = form_class(instance=copy.copy(record), initial={"version": record.version})
        return render(request, template, {**context, "form": form})

    form = form_class(request.POST, instance=copy.copy(record))
    if form.is_valid():
        try:
            update(
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
                change_reason=form.cleaned_data["change_reason"],
                user=request.user,
            )
        except type(record).DoesNotExist:
            raise Http404(f"The {name} was deleted meanwhile.") from None
        except EditConflict as conflict:
            context |= _conflict_context(conflict, form)
            form = form_class(rebased(request.POST, conflict), instance=copy.copy(record))
        except ValidationError as error:
            form.add_error(None, error)
        except TryAgain as error:
            form.add_error(None, str(error))
            context["busy"] = True
        else:
            return saved(form)
    status = 409 if "conflict" in context or "busy" in context else 200
    return render(request, template, {**context, "form": form}, status=status)


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


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ANALYST)
def bill_new(request, code):
    return _new_page(
        request,
        code,
        form_class=BillForm,
        template="statutes/bill_form.html",
        then=lambda bill: ("statutes:bills", {}),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ANALYST)
def bill_edit(request, code, pk):
    bill = selectors.bill_for(code=code, pk=pk)

    def saved(form):
        messages.success(request, f"Saved {form.cleaned_data['number']}.")
        return redirect("statutes:bills", code=bill.jurisdiction.code)

    return _edit_page(
        request,
        bill,
        form_class=BillEditForm,
        template="statutes/bill_form.html",
        update=partial(services.bill_update, bill_id=bill.pk),
        saved=saved,
    )


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
