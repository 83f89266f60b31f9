"""Read queries of publishing and exports, for views, services and tasks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from assessments.models import Assessment, Cycle, PolicyGoal, ReviewState
from assessments.services import WorkflowError

from .models import (
    ACTIVE_STATES,
    ExportJob,
    JobState,
    PreviewJob,
    PublishedReportCard,
    PublishJob,
    ReleaseJob,
)
from .pdf.data import ReportCard


@dataclass(frozen=True)
class UnapprovedGoal:
    number: str
    state: str  # a ReviewState label, or "no determination"

    def __str__(self):
        return f"{self.number} ({self.state})"


def unapproved_goals(assessment: Assessment) -> list[UnapprovedGoal]:
    """Every goal of the framework without an approved version, in order. A goal whose
    newer draft waits for review still has its approved version, which is what counts."""
    states = {
        goal_id: ReviewState.APPROVED if approved else state
        for goal_id, state, approved in assessment.determinations.values_list(
            "goal_id", "review_state", "approved"
        )
    }
    labels = dict(ReviewState.choices)
    goals = PolicyGoal.objects.filter(framework_id=assessment.cycle.framework_id).order_by(
        "ordering"
    )
    missing = []
    for goal_id, number in goals.values_list("id", "number"):
        state = states.get(goal_id)
        if state != ReviewState.APPROVED:
            label = labels.get(state, state).lower() if state else "no determination"
            missing.append(UnapprovedGoal(number, label))
    return missing


def published_cards(assessment: Assessment) -> list[PublishedReportCard]:
    """Every published version, newest first."""
    return list(
        PublishedReportCard.objects.filter(assessment=assessment)
        .select_related("published_by", "assessment__jurisdiction", "assessment__cycle")
        .order_by("-version")
    )


def latest_version(assessment_id: int) -> int:
    """The highest published version of the assessment; 0 when none is published."""
    latest = (
        PublishedReportCard.objects.filter(assessment_id=assessment_id)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return latest or 0


def published_card(code: str, year: int, version: int) -> PublishedReportCard:
    return PublishedReportCard.objects.select_related(
        "assessment__jurisdiction", "assessment__cycle"
    ).get(
        assessment__jurisdiction__code=code.upper(),
        assessment__cycle__year=year,
        version=version,
    )


def latest_cards(cycle: Cycle) -> dict[int, PublishedReportCard]:
    """Per assessment id of the cycle, its latest published version."""
    latest = {}
    for card in (
        PublishedReportCard.objects.filter(assessment__cycle=cycle)
        .select_related("assessment__jurisdiction", "assessment__cycle")
        .order_by("assessment_id", "version")
    ):
        latest[card.assessment_id] = card
    return latest


def _newest_active(jobs):
    """The newest of `jobs` still queued or running, if any."""
    return jobs.filter(state__in=ACTIVE_STATES).order_by("-created_at", "-id").first()


def active_publish_job(assessment: Assessment) -> PublishJob | None:
    return _newest_active(PublishJob.objects.filter(assessment=assessment))


def publish_job(pk: int) -> PublishJob:
    return PublishJob.objects.select_related(
        "assessment__jurisdiction",
        "assessment__cycle",
        "requested_by",
        "result__assessment__jurisdiction",
        "result__assessment__cycle",
    ).get(pk=pk)


def publish_jobs(assessment: Assessment, *, limit: int = 10) -> list[PublishJob]:
    """The assessment's latest publish jobs, newest first."""
    return list(
        PublishJob.objects.filter(assessment=assessment)
        .select_related("requested_by", "assessment__jurisdiction", "assessment__cycle", "result")
        .order_by("-created_at", "-id")[:limit]
    )


def export_jobs(cycle: Cycle, *, limit: int = 50) -> list[ExportJob]:
    return list(
        ExportJob.objects.filter(cycle=cycle)
        .select_related("requested_by", "cycle")
        .order_by("-created_at", "-id")[:limit]
    )


def export_job(pk: int) -> ExportJob:
    return ExportJob.objects.select_related("cycle", "requested_by").get(pk=pk)


def active_export_job(cycle: Cycle) -> ExportJob | None:
    return _newest_active(ExportJob.objects.filter(cycle=cycle))


def active_preview_job(assessment: Assessment, user) -> PreviewJob | None:
    """The user's preview of the assessment still queued or rendering, if any."""
    return _newest_active(PreviewJob.objects.filter(assessment=assessment, requested_by=user))


def preview_job(pk: int) -> PreviewJob:
    return PreviewJob.objects.select_related(
        "assessment__jurisdiction", "assessment__cycle", "requested_by"
    ).get(pk=pk)


# Cycle releases


def cycle_release(cycle_id: int) -> ReleaseJob | None:
    """The cycle's latest completed release (its standings are the released ranks), or None
    while the cycle is unreleased."""
    return (
        ReleaseJob.objects.filter(cycle_id=cycle_id, state=JobState.DONE)
        .order_by("-finished_at", "-id")
        .first()
    )


def released_cards(cycle: Cycle) -> dict[int, PublishedReportCard]:
    """Per assessment id, the latest RELEASED version: the one the cycle release published
    or a correction published after it. Empty before the release (during an embargo):
    whatever is public or open data reads this, never `latest_cards`. The stored documents
    are not loaded (see `released_reports`)."""
    latest = {}
    for card in (
        PublishedReportCard.objects.filter(assessment__cycle=cycle, release__isnull=False)
        .defer("document")
        .select_related("assessment__jurisdiction", "assessment__cycle")
        .order_by("assessment_id", "version")
    ):
        latest[card.assessment_id] = card
    return latest


@dataclass(frozen=True)
class ReleasedReport:
    """A released version and the report card it printed."""

    published: PublishedReportCard
    card: ReportCard


class NothingReleased(WorkflowError):
    """The cycle has no released report card yet (not released, or under embargo): open
    data, the static site and the survey charts have nothing to show; the message says so."""


class DocumentMissing(LookupError):
    """Released versions published before versions stored their document: what they
    printed is only in their PDF, so they cannot be read as data."""


def released_reports(cycle: Cycle) -> list[ReleasedReport]:
    """Each jurisdiction's latest released version with the report card it printed, best
    rank first: what open data, the API, the survey charts and the static site show.
    Two queries, however many jurisdictions. Raises DocumentMissing, naming the versions,
    when a released version has no stored document (publish a correction of it)."""
    ids = [card.pk for card in released_cards(cycle).values()]
    published = (
        PublishedReportCard.objects.filter(pk__in=ids)
        .select_related("assessment__jurisdiction", "assessment__cycle")
        .order_by("assessment__jurisdiction__name")
    )
    missing = [str(card) for card in published if card.document is None]
    if missing:
        raise DocumentMissing(
            "These released versions were published before versions stored what they "
            "printed; publish a correction of each to release them as data: " + ", ".join(missing)
        )
    reports = [ReleasedReport(card, card.card()) for card in published]
    return sorted(reports, key=lambda report: report.card.rank)


def corrections(cycle: Cycle):
    """The cycle's changelog: versions published after its release (each with the errata
    note saying what changed and why), newest first. A queryset, to paginate."""
    return (
        PublishedReportCard.objects.filter(
            assessment__cycle=cycle, release__isnull=False, job__isnull=False
        )
        .select_related("assessment__jurisdiction", "published_by")
        .order_by("-published_at", "-id")
    )


def active_release_job(cycle: Cycle) -> ReleaseJob | None:
    """The cycle's release still scheduled, queued or running, if any."""
    return _newest_active(ReleaseJob.objects.filter(cycle=cycle))


def release_under_way(cycle_id: int, now) -> ReleaseJob | None:
    """The cycle's release being run now (running, or queued and due), not one scheduled
    for later: a single card published meanwhile would take a version the release needs."""
    return (
        ReleaseJob.objects.filter(cycle_id=cycle_id, state__in=ACTIVE_STATES)
        .filter(Q(scheduled_for__isnull=True) | Q(scheduled_for__lte=now))
        .first()
    )


def release_job(pk: int) -> ReleaseJob:
    return ReleaseJob.objects.select_related("cycle", "requested_by").get(pk=pk)


def release_jobs(cycle: Cycle, *, limit: int = 20) -> list[ReleaseJob]:
    return list(
        ReleaseJob.objects.filter(cycle=cycle)
        .select_related("requested_by", "cycle")
        .order_by("-created_at", "-id")[:limit]
    )
