"""Pages and buttons of discussion threads. Every thread is addressed under its assessment
(`/assessments/MS/2023/threads/7/`): a thread of another assessment, goal or state is 404,
and reading or posting follows the goal page's rule (`permissions.can_discuss`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import permissions
from assessments import selectors as assessment_selectors
from assessments.models import Assessment, GoalDetermination
from assessments.permissions import WorkflowError
from core.limits import COMMENT_MAX_CHARS
from core.retry import TryAgain

from . import selectors, services
from .models import Comment, Thread

THREADS_PER_PAGE = 20


def _allowed(request) -> None:
    decision = permissions.can_discuss(request.user)
    if not decision:
        raise PermissionDenied(decision.reason)


def _assessment_or_404(code: str, year: int) -> Assessment:
    try:
        return assessment_selectors.assessment_for(code, year)
    except Assessment.DoesNotExist:
        raise Http404(f"No {year} assessment for “{code}”.") from None


def _thread_or_404(assessment: Assessment, pk: int) -> Thread:
    try:
        return selectors.thread_of(assessment, pk)
    except Thread.DoesNotExist:
        raise Http404("No such thread in this assessment.") from None


def _refused(request, template: str, context: dict, error: Exception):
    """The form again with the refusal and the user's text kept: 409 when trying again may
    work (a busy database), else 400."""
    context.update(error=str(error), text=request.POST.get("text", ""))
    status = 409 if isinstance(error, TryAgain) else 400
    return render(request, template, context, status=status)


def _start(request, assessment: Assessment, determination=None):
    _allowed(request)
    try:
        thread = services.thread_start(
            assessment_id=assessment.pk,
            determination_id=determination.pk if determination else None,
            user=request.user,
            text=request.POST.get("text", ""),
        )
    except (WorkflowError, TryAgain) as error:
        context = {"assessment": assessment, "determination": determination}
        return _refused(request, "discussions/thread_new.html", context, error)
    messages.success(request, "Thread started.")
    return redirect(selectors.page_of(thread))


@require_POST
def thread_start_goal(request, code: str, year: int, goal: str):
    assessment = _assessment_or_404(code, year)
    determination = (
        GoalDetermination.objects.select_related("goal")
        .filter(assessment=assessment, goal__number=goal)
        .first()
    )
    if determination is None:
        raise Http404(f"No goal {goal} in the {year} assessment of “{code}”.")
    return _start(request, assessment, determination)


@require_POST
def thread_start_texts(request, code: str, year: int):
    return _start(request, _assessment_or_404(code, year))


def _thread_context(thread: Thread) -> dict:
    history = {
        comment.pk: list(comment.history.select_related("history_user").order_by("-history_id"))
        for comment in thread.comments.all()
        if comment.edited_at
    }
    return {
        "thread": thread,
        "assessment": thread.assessment,
        "comments": [
            (comment, history.get(comment.pk, [])[1:]) for comment in thread.comments.all()
        ],
        "max_chars": COMMENT_MAX_CHARS,
        "back": selectors.page_of(thread),
    }


@require_safe
def thread_detail(request, code: str, year: int, pk: int):
    """One thread with every comment's earlier texts."""
    _allowed(request)
    thread = _thread_or_404(_assessment_or_404(code, year), pk)
    return render(request, "discussions/thread.html", _thread_context(thread))


@require_POST
def thread_reply(request, code: str, year: int, pk: int):
    _allowed(request)
    thread = _thread_or_404(_assessment_or_404(code, year), pk)
    try:
        services.comment_add(
            thread_id=thread.pk, user=request.user, text=request.POST.get("text", "")
        )
    except (WorkflowError, TryAgain) as error:
        return _refused(request, "discussions/thread.html", _thread_context(thread), error)
    messages.success(request, "Reply posted.")
    return redirect(selectors.page_of(thread))


def _resolve_view(resolved: bool, done: str):
    @require_POST
    def view(request, code: str, year: int, pk: int):
        _allowed(request)
        thread = _thread_or_404(_assessment_or_404(code, year), pk)
        services.thread_resolve(thread_id=thread.pk, user=request.user, resolved=resolved)
        messages.success(request, done)
        return redirect(selectors.page_of(thread))

    return view


thread_resolve = _resolve_view(True, "Thread resolved.")
thread_reopen = _resolve_view(False, "Thread reopened.")


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request, code: str, year: int, pk: int):
    """The author's own comment in a form; saving keeps the old text in its history."""
    _allowed(request)
    assessment = _assessment_or_404(code, year)
    comment = Comment.objects.filter(thread__assessment=assessment, pk=pk).first()
    if comment is None:
        raise Http404("No such comment in this assessment.")
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only its author can edit a comment; reply to it instead.")
    thread = _thread_or_404(assessment, comment.thread_id)
    context = {"comment": comment, "thread": thread, "max_chars": COMMENT_MAX_CHARS}
    if request.method != "POST":
        return render(request, "discussions/comment_edit.html", {**context, "text": comment.text})
    try:
        services.comment_edit(
            comment_id=comment.pk, user=request.user, text=request.POST.get("text", "")
        )
    except (WorkflowError, TryAgain) as error:
        return _refused(request, "discussions/comment_edit.html", context, error)
    messages.success(request, "Comment updated; its earlier text is kept in the thread's history.")
    return redirect(selectors.page_of(thread))


@require_safe
def assessment_threads(request, code: str, year: int):
    """Every thread of an assessment, paginated; ?state=open or resolved."""
    _allowed(request)
    assessment = _assessment_or_404(code, year)
    state = request.GET.get("state", "")
    state = state if state in {"open", "resolved"} else ""
    threads = selectors.assessment_threads(assessment, state=state)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "discussions/threads.html",
        {"assessment": assessment, "page": page, "state": state},
    )
