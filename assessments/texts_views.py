"""The state texts page: analysts edit and submit the texts, reviewers see what changed
since the last approved texts (word diff) and approve or request changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import role_required
from core.conflicts import EditConflict, rebased
from core.retry import TryAgain

from . import permissions, placeholders, selectors, services
from .forms import AssessmentTextsForm
from .models import ReviewState, TextsReviewEvent
from .texts import texts_changes, texts_pending_version
from .views import APPROVE, REQUEST_CHANGES, SUBMIT, ReviewStep, _overview_or_404, run_review_step


def _initial(assessment) -> dict:
    return {
        "highlights": "\n".join(assessment.highlights),
        "safe_harbor_status": assessment.safe_harbor_status,
        "safe_harbor_summary": assessment.safe_harbor_summary,
        "version": assessment.version,
        **{f"issue_{k}": v for k, v in assessment.issue_summaries.items()},
        **{f"extra_credit_{k}": v for k, v in assessment.extra_credit_summaries.items()},
    }


def _as_printed(assessment) -> list[str]:
    """The highlights as the card prints them (placeholders filled from the stored scores)."""
    facts = selectors.score_facts_for(assessment)
    if facts is None:
        return list(assessment.highlights)
    return [placeholders.fill_or_mark(text, facts) for text in assessment.highlights]


def _context(request, assessment, form, **extra) -> dict:
    user = request.user
    return {
        "assessment": assessment,
        "form": form,
        "changes": texts_changes(assessment),
        "pending_version": texts_pending_version(assessment),
        "printed_highlights": _as_printed(assessment),
        "placeholders": placeholders.PLACEHOLDERS,
        "can_edit": permissions.can_edit_texts(user, assessment),
        "can_submit": permissions.can_submit_texts(user, assessment),
        "can_approve": permissions.can_approve_texts(user, assessment),
        "can_request_changes": permissions.can_request_texts_changes(user, assessment),
        "events": TextsReviewEvent.objects.filter(assessment=assessment)
        .select_related("actor")
        .order_by("-created_at", "-id")[:10],
        "approved": assessment.texts_state == ReviewState.APPROVED,
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def assessment_texts(request, code: str, year: int):
    assessment, _ = _overview_or_404(code, year)
    framework = assessment.cycle.framework
    form_kwargs = {
        "issue_areas": list(framework.issue_areas.all()),
        "categories": list(framework.extra_credit_categories.all()),
    }
    if request.method != "POST":
        form = AssessmentTextsForm(initial=_initial(assessment), **form_kwargs)
        return render(request, "assessments/texts.html", _context(request, assessment, form))
    decision = permissions.can_edit_texts(request.user, assessment)
    if decision.forbidden:
        raise PermissionDenied(decision.reason)
    form = AssessmentTextsForm(request.POST, **form_kwargs)
    conflict = busy = False
    if form.is_valid():
        data = form.cleaned_data
        texts = services.AssessmentTexts(
            highlights=data["highlights"].splitlines(),
            issue_summaries={
                str(area.number): data[f"issue_{area.number}"] for area in form.issue_areas
            },
            extra_credit_summaries={
                c.code: data[f"extra_credit_{c.code}"] for c in form.categories
            },
            safe_harbor_status=data["safe_harbor_status"],
            safe_harbor_summary=data["safe_harbor_summary"],
        )
        try:
            services.assessment_texts_save(
                assessment_id=assessment.pk,
                user=request.user,
                expected_version=data["version"],
                texts=texts,
                change_reason=data.get("change_reason", ""),
            )
        except EditConflict as error:
            messages.error(request, str(error))
            conflict = True
            assessment.refresh_from_db()  # their version, shown next to the user's
            form = AssessmentTextsForm(rebased(request.POST, error), **form_kwargs)
        except TryAgain as error:
            form.add_error(None, str(error))
            busy = True
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved the state texts.")
            return redirect(request.path)
    return render(
        request,
        "assessments/texts.html",
        _context(request, assessment, form, conflict=conflict),
        status=409 if conflict or busy else 400,
    )


def _texts_transition(step: ReviewStep, service):
    """A button on the texts page that runs one workflow service on the version shown."""

    @require_POST
    @role_required(step.role)
    def view(request, code: str, year: int):
        assessment, _ = _overview_or_404(code, year)
        error = run_review_step(request, step, service, assessment_id=assessment.pk)
        if error:
            messages.error(request, str(error))
        else:
            messages.success(request, step.done.format(subject="The state texts", was="were"))
        return redirect("assessments:texts", assessment.jurisdiction.code, year)

    return view


texts_submit = _texts_transition(SUBMIT, services.assessment_texts_submit)
texts_approve = _texts_transition(APPROVE, services.assessment_texts_approve)
texts_request_changes = _texts_transition(
    REQUEST_CHANGES, services.assessment_texts_request_changes
)
