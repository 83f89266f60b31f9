"""Reading discussion threads: a goal's or the state texts' threads, one thread, and the
open threads the publish gate lists. Reads never write."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch
from django.urls import reverse

from .models import Comment, Thread

RESOLVED_SHOWN = 5  # resolved threads shown on a goal page; the rest on the threads page
# Goals in their order, then the state texts (no goal), on every database.
GOALS_THEN_TEXTS = F("determination__goal__ordering").asc(nulls_last=True)


def _with_comments(threads):
    return threads.select_related(
        "started_by", "resolved_by", "determination__goal"
    ).prefetch_related(
        Prefetch(
            "comments",
            queryset=Comment.objects.select_related("author"),
        )
    )


def threads_of(assessment, determination=None):
    """Threads of one goal (or, without `determination`, of the state texts), open first,
    then the latest resolved."""
    threads = Thread.objects.filter(assessment=assessment, determination=determination)
    return _with_comments(threads).order_by("-resolved_at", "created_at", "id")


def goal_threads(assessment, determination=None) -> dict:
    """What a goal page (or the texts page) shows: every open thread, the latest resolved
    ones, and how many resolved ones are left to the threads page."""
    threads = Thread.objects.filter(assessment=assessment, determination=determination)
    resolved = threads.filter(resolved_at__isnull=False)
    return {
        "open": list(_with_comments(threads.filter(resolved_at__isnull=True)).order_by("id")),
        "resolved": list(_with_comments(resolved).order_by("-resolved_at", "-id")[:RESOLVED_SHOWN]),
        "resolved_more": max(resolved.count() - RESOLVED_SHOWN, 0),
    }


def assessment_threads(assessment, *, state: str = ""):
    """Every thread of an assessment (goals in their order, then the state texts), for the
    threads page; `state` "open" or "resolved" filters."""
    threads = Thread.objects.filter(assessment=assessment)
    if state == "open":
        threads = threads.filter(resolved_at__isnull=True)
    elif state == "resolved":
        threads = threads.filter(resolved_at__isnull=False)
    return _with_comments(threads).order_by(GOALS_THEN_TEXTS, "created_at", "id")


def thread_of(assessment, pk: int) -> Thread:
    """One thread of `assessment` (Thread.DoesNotExist for any other assessment's)."""
    return _with_comments(Thread.objects.filter(assessment=assessment)).get(pk=pk)


def open_threads(assessment):
    """The open threads of an assessment with their first comment's author, for the gate."""
    return (
        Thread.objects.filter(assessment=assessment, resolved_at__isnull=True)
        .select_related("started_by", "determination__goal")
        .annotate(comment_count=Count("comments"))
        .order_by(GOALS_THEN_TEXTS, "id")
    )


def page_of(thread: Thread) -> str:
    """The goal page (or texts page) showing the thread, at the thread."""
    assessment = thread.assessment
    code, year = assessment.jurisdiction.code, assessment.cycle.year
    if thread.determination_id:
        url = reverse(
            "assessments:determination", args=[code, year, thread.determination.goal.number]
        )
    else:
        url = reverse("assessments:texts", args=[code, year])
    return f"{url}#thread-{thread.pk}"
