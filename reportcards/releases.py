"""Releasing a cycle: every jurisdiction's card published in one job, now or at an embargo
time, with ranks and tiers frozen as released (docs/publishing.md).

- **The request** (`cycle_release_request`) runs the publish gate for every jurisdiction
  and refuses while any lists a blocker, with every blocker named per jurisdiction; the
  warnings are acknowledged by key, as on the publish page. Without a time the job is
  queued at once; with one it waits (state queued, `scheduled_for` set) until the beat task
  `releases_start_due` sends it.
- **The work** (`cycle_release_run`) checks the gate again, renders and stores the next
  version of every card (progress per jurisdiction), then records them all in one
  transaction with the standings they print: either the whole cycle is released or none.
- **Before** the release a single card can be published (a preview seen by staff only;
  `selectors.released_cards` leaves it out); **after** it, a publication is a correction
  that prints the released ranks and its errata note (reportcards/publishing.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.models import Assessment, Cycle
from assessments.recompute import cycle_mark_stale, scores_make_current
from assessments.services import WorkflowError

from . import jobs, selectors
from .gate import NOTHING_CHANGED, Finding, GateResult, publish_gate
from .jobs import JobFailed
from .models import JobState, ReleaseJob
from .pdf.data import Edition
from .publishing import (
    approved_card,
    can_publish,
    delete_version_files,
    rendered_version,
    store_version_files,
)

logger = logging.getLogger(__name__)


class ReleaseRefused(WorkflowError):
    """The cycle cannot be released (yet); `blockers` lists why per jurisdiction."""

    def __init__(self, message: str, blockers: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.blockers = blockers or {}


@dataclass
class CycleGate:
    """The publish gate of every jurisdiction of a cycle, in code order, for a release."""

    results: dict[str, GateResult] = field(default_factory=dict)  # name -> result

    @property
    def blockers(self) -> dict[str, list[str]]:
        return {
            name: [finding.message for finding in result.blockers]
            for name, result in self.results.items()
            if result.blockers
        }

    @property
    def warnings(self) -> list[Finding]:
        return [warning for result in self.results.values() for warning in result.warnings]


def _assessments(cycle: Cycle) -> list[Assessment]:
    return list(
        Assessment.objects.filter(cycle=cycle)
        .select_related("jurisdiction", "cycle")
        .order_by("jurisdiction__code")
    )


def cycle_gate(cycle: Cycle) -> CycleGate:
    """The gate for each jurisdiction. "Nothing changed since the last version" does not
    block a release: the release publishes a new version of every card anyway (it prints
    the release's standings)."""
    gate = CycleGate()
    for assessment in _assessments(cycle):
        result = publish_gate(assessment)
        result.blockers = [b for b in result.blockers if b.reason != NOTHING_CHANGED]
        gate.results[assessment.jurisdiction.name] = result
    return gate


def blocker_lines(blockers: dict[str, list[str]]) -> list[str]:
    """ "Mississippi: Goal 1.1 is not approved.", one line per blocker."""
    return [f"{name}: {message}" for name, messages in blockers.items() for message in messages]


def _require_publisher(user) -> None:
    if not can_publish(user):
        raise PermissionDenied("Only a publisher can release a cycle.")


def cycle_release_request(
    *, cycle_id: int, user, at: datetime | None = None, acknowledged=(), note: str = ""
) -> ReleaseJob:
    """Record a release of the cycle, queued now or scheduled for `at` (embargo).

    Refused while another release of the cycle is scheduled, queued or running, while any
    jurisdiction's gate lists a blocker, or while a warning is not in `acknowledged`.
    """
    _require_publisher(user)
    now = timezone.now()
    if at is not None and timezone.is_naive(at):
        raise ReleaseRefused("Give the release time with its time zone.")
    scheduled = at if at is not None and at > now else None
    # The gate reads every jurisdiction (seconds for 51), so it runs before the cycle is
    # locked; the worker runs it again before publishing anything.
    _refuse_by_gate(Cycle.objects.get(pk=cycle_id), acknowledged)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
        active = selectors.active_release_job(cycle)
        if active is not None:
            raise ReleaseRefused(
                f"A release of {cycle.year} is already {_when(active)} (job {active.pk}). "
                "Cancel it first to change it."
            )
        job = ReleaseJob.objects.create(
            cycle=cycle,
            requested_by=user,
            scheduled_for=scheduled,
            note=note.strip(),
            message=_scheduled_message(scheduled) if scheduled else "Waiting for a worker",
        )
        if scheduled is None:
            transaction.on_commit(lambda: queue_release(job))
    return job


def _refuse_by_gate(cycle: Cycle, acknowledged) -> None:
    gate = cycle_gate(cycle)
    if blockers := gate.blockers:
        lines = blocker_lines(blockers)
        raise ReleaseRefused(
            f"The {cycle.year} cycle cannot be released: {len(lines)} blocker"
            f"{'s' if len(lines) != 1 else ''} in {len(blockers)} "
            f"jurisdiction{'s' if len(blockers) != 1 else ''}.",
            blockers,
        )
    if unacknowledged := [w for w in gate.warnings if w.key not in set(acknowledged)]:
        raise ReleaseRefused(
            "Acknowledge each warning before releasing: "
            + " ".join(warning.message for warning in unacknowledged)
        )


def _scheduled_message(at: datetime) -> str:
    return f"Scheduled for {timezone.localtime(at):%Y-%m-%d %H:%M %Z}"


def _when(job: ReleaseJob) -> str:
    if job.state == JobState.QUEUED and job.scheduled_for and job.scheduled_for > timezone.now():
        return _scheduled_message(job.scheduled_for).lower()
    return job.get_state_display().lower()


def queue_release(job: ReleaseJob) -> bool:
    """Send the release's task (False when the broker is down: the sweep sends it again)."""
    from .tasks import release_cycle

    return jobs.queue_job(release_cycle, job)


def release_job_cancel(*, job_id: int, user) -> ReleaseJob:
    """Cancel a scheduled, queued or running release (`jobs.JobNotActive` once ended)."""
    _require_publisher(user)
    return jobs.job_cancel(ReleaseJob, job_id=job_id, user=user)


def due_releases(now: datetime):
    """Queued releases whose time has come (or that were never scheduled)."""
    return Q(scheduled_for__isnull=True) | Q(scheduled_for__lte=now)


def releases_start_due(*, now: datetime | None = None) -> list[str]:
    """The beat task: send every scheduled release whose time has come. A release sent
    twice runs once (only one run can start a job)."""
    now = now or timezone.now()
    started = []
    due = ReleaseJob.objects.filter(due_releases(now), state=JobState.QUEUED)
    for job in list(due.filter(scheduled_for__isnull=False)):
        ReleaseJob.objects.filter(pk=job.pk).update(queued_at=now, message="Waiting for a worker")
        if queue_release(job):
            started.append(f"ReleaseJob {job.pk}")
    return started


# The work (in the task)


def cycle_release_run(*, job_id: int) -> ReleaseJob:
    """Publish every card of the release's cycle and freeze the standings (idempotent)."""
    job = selectors.release_job(job_id)
    jobs.run_job(job, "Checking the gate of every jurisdiction", _release)
    return job


def _release(job: ReleaseJob) -> None:
    cycle = job.cycle
    scores_make_current(cycle=cycle)  # the cards print current numbers
    if blockers := cycle_gate(cycle).blockers:
        raise JobFailed("Nothing was released. " + " ".join(blocker_lines(blockers)))
    assessments = _assessments(cycle)
    cards, standings = [], {}
    try:
        for index, assessment in enumerate(assessments, start=1):
            card, standings[assessment.jurisdiction.code] = _render(job, assessment)
            cards.append(card)
            jobs.job_step(
                job,
                progress=10 + 80 * index // len(assessments),
                message=f"{assessment.jurisdiction.name} ({index} of {len(assessments)})",
            )
        _record(job, cards, standings)
    except BaseException:
        for card in cards:  # nothing refers to the stored files of an unrecorded release
            delete_version_files(card)
        raise


def _render(job: ReleaseJob, assessment: Assessment):
    """The stored (not yet recorded) next version, and the standing it prints."""
    version = selectors.latest_version(assessment.pk) + 1
    data = approved_card(assessment)
    data = replace(data, edition=Edition(version, timezone.localdate()))
    card, pdf, html = rendered_version(job, assessment, data)
    card.note = job.note
    store_version_files(card, pdf, html)
    standing = {
        "rank": data.rank,
        "tied": data.tied,
        "tier": data.tier,
        "total": str(data.total),
        "grade": data.grade,
    }
    return card, standing


def _record(job: ReleaseJob, cards, standings: dict) -> None:
    with jobs.job_finishing(job):
        ids = [card.assessment_id for card in cards]
        list(Assessment.objects.select_for_update().filter(pk__in=ids).only("pk"))
        for card in cards:
            if selectors.latest_version(card.assessment_id) != card.version - 1:
                raise JobFailed(
                    f"{card.assessment.jurisdiction.name} was published by another job "
                    "meanwhile; nothing was released. Release again."
                )
            card.release = job
            card.save()
        cycle_mark_stale(cycle_id=job.cycle_id)
        jobs.job_done(job, f"Released {len(cards)} report cards", standings=standings)
