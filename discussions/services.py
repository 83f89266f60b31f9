"""Writing to discussion threads: start a thread, reply, edit a comment, resolve, reopen.

Each service checks the user (`permissions.can_discuss`, the goal page's rule) and the
text, runs in one transaction and tells whoever the comment concerns: every user it
@mentions, and the goal's owner (assessments/workflow_notifications.owner_of) of a comment
by someone else. A refused text changes nothing; the page keeps it in its form.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from assessments import permissions
from assessments.models import Assessment, GoalDetermination, Notification
from assessments.notifications import notify
from assessments.permissions import WorkflowError
from assessments.workflow_notifications import owner_of, subject_link, subject_name
from core.limits import COMMENT_MAX_CHARS, TypedText
from core.retry import retry_once

from .mentions import mentioned_users
from .models import Comment, Thread

COMMENT = TypedText("comment", "Write a comment: it is empty.", COMMENT_MAX_CHARS)


def _checked_text(text: str) -> tuple[str, list]:
    """The comment's text, stripped, and the users it mentions; WorkflowError naming every
    problem otherwise."""
    text = (text or "").strip()
    if problem := COMMENT.problem(text):
        raise WorkflowError(problem)
    users, unknown = mentioned_users(text)
    if unknown:
        names = ", ".join(f"@{name}" for name in unknown)
        raise WorkflowError(
            f"No user answers to {names}: mention people by their username (nothing was "
            "posted; correct the name or remove the @)."
        )
    return text, users


def _subject_version(thread: Thread) -> int:
    """The version of the goal (or of the state texts) the thread discusses, now."""
    subject = thread.determination if thread.determination_id else thread.assessment
    return type(subject).objects.values_list("version", flat=True).get(pk=subject.pk)


def _tell(comment: Comment, mentioned, *, newly_mentioned=None) -> None:
    """Notify the mentioned users and the goal's owner of `comment` (never its author)."""
    thread = comment.thread
    assessment, determination = thread.assessment, thread.determination
    name = subject_name(assessment, determination)
    link = subject_link(assessment, determination) + f"#thread-{thread.pk}"
    author = comment.author.get_username()
    for user, kind, key, verb in _recipients(comment, mentioned, newly_mentioned):
        message = f"{author} {verb} {name}: {comment.text}"
        notify(user=user, kind=kind, key=key, message=message, link=link)


def _recipients(comment: Comment, mentioned, newly_mentioned):
    """(user, kind, key, verb) for each user `comment` concerns: the (newly) mentioned
    users, then the owner of a new comment who is neither mentioned nor its author."""
    told = {comment.author_id}
    for user in newly_mentioned if newly_mentioned is not None else mentioned:
        if user.pk not in told:
            yield (
                user,
                Notification.Kind.MENTIONED,
                f"mention:comment:{comment.pk}",
                "mentioned you on",
            )
    told |= {user.pk for user in mentioned}
    owner = owner_of(comment.thread.assessment, comment.thread.determination)
    if newly_mentioned is None and owner is not None and owner.pk not in told:
        yield owner, Notification.Kind.COMMENT, f"comment:{comment.pk}", "commented on"


def _comment(thread: Thread, *, user, text: str, mentioned) -> Comment:
    comment = Comment.objects.create(
        thread=thread, author=user, text=text, version=_subject_version(thread)
    )
    _tell(comment, mentioned)
    return comment


@retry_once
def thread_start(*, assessment_id: int, user, text: str, determination_id=None) -> Thread:
    """Open a thread on a goal (`determination_id`) or on the state texts, with its first
    comment."""
    permissions.can_discuss(user).enforce()
    text, mentioned = _checked_text(text)
    with transaction.atomic():
        assessment = Assessment.objects.select_related("jurisdiction", "cycle").get(
            pk=assessment_id
        )
        determination = None
        if determination_id is not None:
            determination = GoalDetermination.objects.select_related("goal").get(
                pk=determination_id, assessment=assessment
            )
        thread = Thread.objects.create(
            assessment=assessment, determination=determination, started_by=user
        )
        _comment(thread, user=user, text=text, mentioned=mentioned)
    return thread


def _locked_thread(thread_id: int) -> Thread:
    return (
        Thread.objects.select_for_update(of=("self",))
        .select_related("assessment__jurisdiction", "assessment__cycle", "determination__goal")
        .get(pk=thread_id)
    )


@retry_once
def comment_add(*, thread_id: int, user, text: str) -> Comment:
    """Reply in a thread; a reply to a resolved thread reopens it (the question is back)."""
    permissions.can_discuss(user).enforce()
    text, mentioned = _checked_text(text)
    with transaction.atomic():
        thread = _locked_thread(thread_id)
        if not thread.is_open:
            thread.resolved_at = thread.resolved_by = None
            thread.save(update_fields=["resolved_at", "resolved_by"])
        return _comment(thread, user=user, text=text, mentioned=mentioned)


@retry_once
def comment_edit(*, comment_id: int, user, text: str) -> Comment:
    """The author corrects their comment; the old text stays in its history. Users the
    correction newly mentions are told."""
    permissions.can_discuss(user).enforce()
    text, mentioned = _checked_text(text)
    with transaction.atomic():
        comment = Comment.objects.select_for_update(of=("self",)).get(pk=comment_id)
        if comment.author_id != user.pk:
            raise WorkflowError("Only its author can edit a comment; reply to it instead.")
        if comment.text == text:
            return comment
        before = {u.pk for u in mentioned_users(comment.text)[0]}
        comment.text, comment.edited_at = text, timezone.now()
        comment.save(update_fields=["text", "edited_at"])
        comment.thread = _locked_thread(comment.thread_id)
        _tell(comment, mentioned, newly_mentioned=[u for u in mentioned if u.pk not in before])
    return comment


@retry_once
def thread_resolve(*, thread_id: int, user, resolved: bool = True) -> Thread:
    """Mark a thread resolved (or, with resolved=False, open again); the history keeps who
    did it and when."""
    permissions.can_discuss(user).enforce()
    with transaction.atomic():
        thread = _locked_thread(thread_id)
        if thread.is_open == resolved:
            thread.resolved_at = timezone.now() if resolved else None
            thread.resolved_by = user if resolved else None
            thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread
