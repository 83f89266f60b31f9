"""The discussions' comments as a group of the cycle search (assessments/search.py), which
this app registers from its AppConfig.ready(): assessments never imports discussions.

A hit names the jurisdiction, the goal (or the state texts) and the comment's author, and
links to the thread on its page. The comments' GIN index (PostgreSQL) is made by the
migration 0002_comment_full_text_index over the same field.
"""

from __future__ import annotations

from django.db.models import F

from assessments.search import Group

from .models import Comment
from .selectors import page_of


def _rows(cycle):
    return Comment.objects.filter(thread__assessment__cycle=cycle).select_related(
        "author",
        "thread__assessment__jurisdiction",
        "thread__assessment__cycle",
        "thread__determination__goal",
    )


def _hit(comment: Comment, cycle) -> tuple[str, str]:
    thread = comment.thread
    if thread.determination_id:
        subject = f"goal {thread.determination.goal.number}"
    else:
        subject = "state texts"
    title = f"{thread.assessment.jurisdiction.name} · {subject} · {comment.author.get_username()}"
    return title, page_of(thread)


COMMENTS = Group(
    key="discussion",
    title="Discussion comments",
    rows=_rows,
    fields=("text",),
    hit=_hit,
    text=lambda comment: comment.text,
    # Jurisdictions by name, a jurisdiction's goals in their order, then its state texts.
    order=(
        "thread__assessment__jurisdiction__name",
        F("thread__determination__goal__ordering").asc(nulls_last=True),
        "thread__created_at",
        "created_at",
    ),
)
