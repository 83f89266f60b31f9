"""Pages of the analyst and reviewer workflow. Thin: parse, call one service, render."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import Role, has_role, role_required
from core import narrative
from core.conflicts import EditConflict, rebased
from core.limits import whole_number
from core.retry import TryAgain

from . import inbox, permissions, restore, selectors, services
from .approvals import changes_since_approval
from .citation_checks import citation_check
from .document import NARRATIVE_MAX_CHARS
from .forms import DeterminationEditor
from .history import assessment_timeline, determination_timeline
from .markdown import render_narrative
from .models import Assessment, GoalDetermination, ReviewState
from .page_lookups import assessment_or_404, cycle_or_404
from .recompute import assessment_scores
from .references import determination_reference_problems

HISTORY_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 25


def _overview_or_404(code, year):
    try:
        return selectors.assessment_overview(code, year)
    except Assessment.DoesNotExist:
        raise Http404(f"No {year} assessment for “{code}”.") from None


def _determination_or_404(code, year, number):
    try:
        return selectors.determination_for_editor(code, year, number)
    except GoalDetermination.DoesNotExist:
        raise Http404(f"No goal {number} in the {year} assessment of “{code}”.") from None


@require_safe
def assessment_list(request, year: int):
    cycle = cycle_or_404(year)
    assessments = (
        Assessment.objects.filter(cycle=cycle)
        .select_related("jurisdiction")
        .annotate(
            drafts=Count("determinations", filter=_state("draft")),
            submitted=Count("determinations", filter=_state("submitted")),
            approved=Count("determinations", filter=_state("approved")),
        )
        .order_by("jurisdiction__name")
    )
    per_page = selectors.JURISDICTIONS_PER_PAGE
    page = Paginator(assessments, per_page).get_page(request.GET.get("page"))
    return render(request, "assessments/assessment_list.html", {"cycle": cycle, "page": page})


def _state(state):
    return Q(determinations__review_state=state)


@require_safe
def assessment_overview(request, code: str, year: int):
    assessment, determinations = _overview_or_404(code, year)
    provisional, published = assessment_scores(assessment)
    areas = {}
    for determination in determinations:
        area = determination.goal.issue_area
        areas.setdefault(area.number, {"area": area, "rows": []})["rows"].append(determination)
    for issue in provisional.issues:
        areas[issue.number]["provisional"] = issue
    for issue in published.issues:
        areas[issue.number]["published"] = issue
    progress = {state: 0 for state in ReviewState.values}
    for determination in determinations:
        progress[determination.review_state] += 1
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "areas": list(areas.values()),
            "provisional": provisional,
            "published": published,
            "progress": progress,
            "total_goals": len(determinations),
            "open_drafts": progress["draft"] + progress["submitted"],
            "cycle": assessment.cycle,
            "state": selectors.score_state(assessment.cycle),
            "extra_credit": [
                (category.label, provisional.extra_credit.by_category.get(category.code))
                for category in assessment.cycle.framework.extra_credit_categories.all()
            ],
        },
    )


@require_safe
def citation_checks(request, code: str, year: int):
    """Every citation of the assessment against the cycle's cutoff (the overview links here:
    the check reads every approved document, so it runs when asked for)."""
    assessment = assessment_or_404(code, year)
    report = citation_check(assessment.cycle, jurisdiction_id=assessment.jurisdiction_id)
    return render(
        request,
        "assessments/citation_checks.html",
        {"assessment": assessment, "cycle": assessment.cycle, "report": report},
    )


def _editor_context(request, determination, editor, conflict=False):
    user = request.user
    # A newer version waits for review: everything it changes, against what counts.
    diff = None
    if determination.pending_version is not None:
        diff = changes_since_approval(determination)
    return {
        "determination": determination,
        "assessment": determination.assessment,
        "goal": determination.goal,
        "editor": editor,
        # What the page offers is what the services allow (assessments/permissions.py).
        "can_edit": permissions.can_edit(user, determination),
        "can_submit": permissions.can_submit(user, determination),
        "can_approve": permissions.can_approve(user, determination),
        "can_request_changes": permissions.can_request_changes(user, determination),
        "can_withdraw": permissions.can_withdraw(user, determination),
        "narrative_html": render_narrative(
            determination.narrative,
            citations=list(determination.citations.all()),
            tables=list(determination.tables.all()),
        ),
        "reference_problems": determination_reference_problems(determination),
        "diff_since_approval": diff,
        "conflict": conflict,
        "last_event": determination.review_events.select_related("actor").last(),
        "statute_changes": selectors.statute_changes_since_approval(
            determination_ids=[determination.pk]
        ),
        "can_accept_wording": has_role(request.user, Role.REVIEWER),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def determination_edit(request, code: str, year: int, goal: str):
    determination = _determination_or_404(code, year, goal)
    if request.method != "POST":
        editor = DeterminationEditor(determination)
        return render(
            request,
            "assessments/determination.html",
            _editor_context(request, determination, editor),
        )
    decision = permissions.can_edit(request.user, determination)
    if decision.forbidden:
        raise PermissionDenied(decision.reason)
    editor = DeterminationEditor(determination, data=request.POST)
    conflict = busy = False
    and_submit = "and_submit" in request.POST
    save = services.determination_save_and_submit if and_submit else services.determination_save
    if editor.is_valid():
        try:
            save(
                determination_id=determination.pk,
                user=request.user,
                expected_version=editor.form.cleaned_data["version"],
                data=editor.data(),
                change_reason=editor.form.cleaned_data.get("change_reason", ""),
            )
        except EditConflict as error:
            messages.error(request, str(error))
            conflict = True
            editor = DeterminationEditor(determination, data=rebased(request.POST, error))
        except services.WorkflowError as error:
            editor.form.add_error(None, str(error))
        except TryAgain as error:
            editor.form.add_error(None, str(error))
            busy = True
        else:
            done = "Saved and submitted goal {} for review." if and_submit else "Saved goal {}."
            messages.success(request, done.format(determination.goal.number))
            return redirect(request.path)
    else:
        messages.error(request, "Nothing was saved: please correct the errors below.")
    # As saved now: after a conflict, their version, shown next to the user's.
    determination = _determination_or_404(code, year, goal)
    return render(
        request,
        "assessments/determination.html",
        _editor_context(request, determination, editor, conflict),
        status=409 if conflict or busy else 400,
    )


MISSING_VERSION = "The form was missing its version; reload the page and retry."


def _posted_version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise services.WorkflowError(MISSING_VERSION) from None


@dataclass(frozen=True)
class ReviewStep:
    """A button of the review workflow, the same on a goal page and on the texts page: who
    may press it, what it says when done (of "Goal 1.2" / "The state texts"), and whether
    it carries the reviewer's comment."""

    role: Role
    done: str  # with {subject} and {was}
    with_comment: bool = False


SUBMIT = ReviewStep(Role.ANALYST, "{subject} {was} submitted for review.")
APPROVE = ReviewStep(Role.REVIEWER, "{subject} {was} approved.")
REQUEST_CHANGES = ReviewStep(
    Role.REVIEWER, "{subject} {was} sent back to the analyst.", with_comment=True
)
WITHDRAW = ReviewStep(Role.ANALYST, "{subject} {was} withdrawn from review; it is a draft again.")


def run_review_step(request, step: ReviewStep, service, **target) -> Exception | None:
    """Run a review-workflow service on `target` (determination_id=… or assessment_id=…)
    at the version the form showed; the refusal (a conflict, a rule, a busy database, a
    form without its version), or None when it was done."""
    extra = {"comment": request.POST.get("comment", "")} if step.with_comment else {}
    try:
        version = _posted_version(request)
        service(**target, user=request.user, expected_version=version, **extra)
    except (EditConflict, services.WorkflowError, TryAgain) as error:
        return error
    return None


def _transition_view(step: ReviewStep, service, *, done: str = ""):
    """A page that runs one review-workflow service on the version the form showed, then
    goes back to the goal page with its outcome as a message (`done`, if given, instead of
    the step's).

    A refused request for changes comes back as the goal page itself, with the reviewer's
    comment still in its text area: a redirect would lose what they typed.
    """

    @require_POST
    @role_required(step.role)
    def view(request, code: str, year: int, goal: str):
        determination = _determination_or_404(code, year, goal)
        error = run_review_step(request, step, service, determination_id=determination.pk)
        if error and step.with_comment:
            comment = request.POST.get("comment", "")
            return _review_refused(request, (code, year, goal), comment, error)
        if error:
            messages.error(request, str(error))
        else:
            subject = f"Goal {determination.goal.number}"
            messages.success(request, (done or step.done).format(subject=subject, was="was"))
            if step.role == Role.REVIEWER and request.POST.get("next"):
                return _next_to_review(request)
        return redirect(
            "assessments:determination",
            determination.assessment.jurisdiction.code,
            year,
            determination.goal.number,
        )

    return view


def _next_to_review(request):
    """After "approve and next" / "request changes and next": the next goal the reviewer
    may approve (the inbox's order), or the inbox when nothing else waits for them."""
    following = inbox.next_to_review(request.user)
    if following is None:
        messages.info(request, "Nothing else waits for your review.")
        return redirect("home")
    assessment = following.assessment
    messages.info(
        request,
        f"Next: goal {following.goal.number} of {assessment.jurisdiction.name} "
        f"{assessment.cycle.year}.",
    )
    return redirect(
        "assessments:determination",
        assessment.jurisdiction.code,
        assessment.cycle.year,
        following.goal.number,
    )


def _review_refused(request, goal_key, comment: str, error: Exception):
    """The goal page as it is now, with the refusal next to the reviewer's kept comment:
    409 when someone else's change or a busy database stood in the way (sending it again
    may work), 400 when the request itself was refused."""
    determination = _determination_or_404(*goal_key)
    context = _editor_context(request, determination, DeterminationEditor(determination))
    context.update(review_comment=comment, review_error=str(error))
    status = 409 if isinstance(error, EditConflict | TryAgain) else 400
    return render(request, "assessments/determination.html", context, status=status)


determination_submit = _transition_view(SUBMIT, services.determination_submit)
determination_approve = _transition_view(
    APPROVE,
    services.determination_approve,
    done="{subject} approved; scores will update in a moment.",
)
determination_request_changes = _transition_view(
    REQUEST_CHANGES, services.determination_request_changes
)
determination_withdraw = _transition_view(WITHDRAW, services.determination_withdraw)


@require_POST
@role_required(Role.REVIEWER)
def determination_accept_wording(request, code: str, year: int, goal: str):
    """A reviewer accepts the new wording of the statutes the goal's approval cites."""
    determination = _determination_or_404(code, year, goal)
    goal_url = reverse("assessments:determination", args=[code.upper(), year, goal])
    approval_id = request.POST.get("approval", "")
    try:
        services.determination_accept_statute_wording(
            determination_id=determination.pk,
            user=request.user,
            approval_id=int(approval_id) if approval_id.isdigit() else 0,
        )
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Goal {goal} now cites the statutes as the library words them.")
    return redirect(goal_url)


@require_safe
def determination_history(request, code: str, year: int, goal: str):
    determination = _determination_or_404(code, year, goal)
    return _history_page(request, determination)


def _history_page(request, determination, *, restore_error="", status=200, **kept):
    page = determination_timeline(determination, request.GET.get("page"), HISTORY_PAGE_SIZE)
    return render(
        request,
        "assessments/history.html",
        {
            "page": page,
            "assessment": determination.assessment,
            "determination": determination,
            "title": f"History of goal {determination.goal.number}",
            # Restoring is an edit: offered when the goal may be edited now.
            "can_restore": permissions.can_edit(request.user, determination),
            "restore_error": restore_error,
            "restore_max": restore.RESTORE_REASON_MAX_CHARS,
            **kept,
        },
        status=status,
    )


@require_POST
@role_required(Role.ANALYST)
def determination_restore(request, code: str, year: int, goal: str):
    """Restore an approved version as the goal's next version, with a reason; a refusal
    comes back as the history page with the reason still typed."""
    determination = _determination_or_404(code, year, goal)
    version = whole_number(request.POST.get("restore_version")) or 0
    reason = request.POST.get("reason", "")
    try:
        restore.determination_restore(
            determination_id=determination.pk,
            user=request.user,
            expected_version=_posted_version(request),
            version=version,
            reason=reason,
        )
    except (EditConflict, services.WorkflowError, TryAgain) as error:
        status = 409 if isinstance(error, EditConflict | TryAgain) else 400
        return _history_page(
            request,
            _determination_or_404(code, year, goal),
            restore_error=str(error),
            status=status,
            restore_reason=reason,
            restore_version=version,
        )
    messages.success(
        request,
        f"Version {version} of goal {determination.goal.number} was restored as a new draft; "
        "the approved version counts until it is approved.",
    )
    return redirect("assessments:determination", code.upper(), year, determination.goal.number)


@require_safe
def assessment_history(request, code: str, year: int):
    assessment, _ = _overview_or_404(code, year)
    page = assessment_timeline(assessment, request.GET.get("page"), HISTORY_PAGE_SIZE)
    return render(
        request,
        "assessments/history.html",
        {
            "page": page,
            "assessment": assessment,
            "title": f"History of the {year} {assessment.jurisdiction.name} assessment",
        },
    )


@require_POST
@role_required(Role.ANALYST)
def markdown_preview(request):
    """The live preview of the narrative editor: Markdown in, sanitised HTML out."""
    text = request.POST.get("narrative", "")
    if len(text) > NARRATIVE_MAX_CHARS:
        return HttpResponse(
            f'<p class="text-danger">The narrative is longer than {NARRATIVE_MAX_CHARS:,} '
            "characters, so it is not previewed; shorten it to save it.</p>",
            status=400,
        )
    citations, tables = [], []
    determination_id = whole_number(request.POST.get("determination"))
    if determination_id is not None:
        determination = (
            GoalDetermination.objects.filter(pk=determination_id)
            .prefetch_related("citations__statute", "tables")
            .first()
        )
        if determination:
            citations, tables = (
                list(determination.citations.all()),
                list(determination.tables.all()),
            )
    # Said while typing, not only on save: what the format refuses.
    problem = narrative.format_error(text, "This narrative")
    warning = format_html('<p class="text-danger small" role="alert">{}</p>', problem)
    rendered = render_narrative(text, citations=citations, tables=tables)
    return HttpResponse(warning + rendered if problem else rendered)


@require_safe
@role_required(Role.REVIEWER)
def review_queue(request):
    year = request.GET.get("cycle", "")
    code = request.GET.get("jurisdiction", "").strip()[:2]
    queryset = selectors.review_queue(cycle_year=whole_number(year), jurisdiction=code)
    page = Paginator(queryset, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    approvals = permissions.can_approve_each(request.user, items)
    rows = [
        {
            "determination": determination,
            "changes": changes_since_approval(determination),
            "approval": approvals[determination.pk],
        }
        for determination in items
    ]
    return render(
        request,
        "assessments/review_queue.html",
        {
            "page": page,
            "rows": rows,
            "cycle": year,
            "jurisdiction": code,
            "statute_changes": selectors.statute_changes_since_approval(),
            "texts": selectors.texts_review_queue(cycle_year=whole_number(year), jurisdiction=code),
        },
    )
