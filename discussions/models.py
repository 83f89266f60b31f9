"""Discussion threads on a goal determination or on an assessment's state texts.

A thread belongs to an assessment and, for a goal, to one of its determinations (without
one it is about the state texts). Threads and comments outlive versions: each comment
records the version of what it discusses when it was written. Editing a comment keeps the
old text in its history (simple_history, like every other record of the app).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, GoalDetermination


class Thread(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="threads")
    determination = models.ForeignKey(
        GoalDetermination,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
        help_text="Empty: the thread is about the state texts.",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["assessment", "determination"],
                condition=models.Q(resolved_at__isnull=True),
                name="thread_open",
            )
        ]

    def __str__(self):
        return f"Thread {self.pk} on {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def subject(self) -> str:
        """ "Goal 1.1" or "the state texts"."""
        if self.determination_id:
            return f"Goal {self.determination.goal.number}"
        return "the state texts"


class Comment(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    version = models.PositiveIntegerField(help_text="The version discussed when written.")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["thread", "created_at", "id"]

    def __str__(self):
        return f"{self.author} on thread {self.thread_id}: {self.text[:40]}"
