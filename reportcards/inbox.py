"""What lands in a publisher's "My work" inbox (reads only).

- Ready to publish: jurisdictions of open cycles never published whose every goal and
  state texts have an approved version (what the gate's first checks ask); each row of a
  page then runs the whole publish gate (reportcards/gate.py), so the page says "gate
  clear" or names the first blocker. A page costs a fixed number of queries per row shown,
  never per jurisdiction or goal of the cycle.
- Published, with changes since: jurisdictions whose latest published version is older
  than an approval of one of their goals or of their state texts.
"""

from __future__ import annotations

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery

from assessments.models import Assessment, Cycle, GoalDetermination, PolicyGoal

from .gate import publish_gate
from .models import PublishedReportCard


def _open_assessments():
    return Assessment.objects.filter(cycle__state=Cycle.State.OPEN).select_related(
        "jurisdiction", "cycle"
    )


def _published():
    return PublishedReportCard.objects.filter(assessment_id=OuterRef("pk"))


def _every_goal_approved():
    """No goal of the framework without an approved determination."""
    unapproved = GoalDetermination.objects.filter(
        assessment_id=OuterRef("pk"), approved__isnull=True
    )
    missing = PolicyGoal.objects.filter(framework_id=OuterRef("cycle__framework_id")).exclude(
        determinations__assessment_id=OuterRef("pk")
    )
    return ~Exists(unapproved) & ~Exists(missing)


def ready_to_publish():
    """Never-published assessments of open cycles with every goal and the texts approved."""
    return (
        _open_assessments()
        .filter(_every_goal_approved(), texts_approved__isnull=False)
        .exclude(Exists(_published()))
        .order_by("cycle__year", "jurisdiction__name", "pk")
    )


def with_gate(assessments) -> list[tuple[Assessment, object]]:
    """Each assessment (a page of them) with its publish gate result."""
    return [(assessment, publish_gate(assessment)) for assessment in assessments]


def changed_since_published():
    """Published assessments of open cycles with an approval newer than their latest
    version: `changed_goals` counts the goals, `texts_changed` the state texts."""
    latest = Subquery(_published().order_by("-version").values("published_at")[:1])
    latest_version = Subquery(_published().order_by("-version").values("version")[:1])
    return (
        _open_assessments()
        .filter(Exists(_published()))
        .annotate(
            published_at=latest,
            published_version=latest_version,
            changed_goals=Count(
                "determinations",
                filter=Q(determinations__approved__approved_at__gt=latest),
            ),
        )
        .annotate(
            texts_changed=ExpressionWrapper(
                Q(texts_approved__approved_at__gt=latest), BooleanField()
            )
        )
        .filter(Q(changed_goals__gt=0) | Q(texts_approved__approved_at__gt=latest))
        .order_by("cycle__year", "jurisdiction__name", "pk")
    )


def publisher_waiting():
    """For the navigation bar: jurisdictions ready to publish or changed since they were
    published."""
    return Assessment.objects.filter(
        Q(pk__in=ready_to_publish().values("pk")) | Q(pk__in=changed_since_published().values("pk"))
    )
