"""Opening a new cycle from the previous one: every assessment copied as drafts.

Last year's approved findings are this year's starting point (each goal's last approved
version, never a working draft): analysts re-check each goal against
the law as of the new cutoff, and reviewers approve it again, so nothing copied counts
toward the new cycle's scores until it is approved (DESIGN.md §4, §5). Rows are copied
with bulk inserts (and bulk history records), so 51 × 40 goals take a few dozen queries.
A cycle on a new framework is copied through a crosswalk (assessments/crosswalks.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from accounts.roles import Role, has_role

from . import models
from .approvals import approved_document
from .crosswalk_document import CrosswalkDocument
from .crosswalks import CrosswalkCopy, checked_crosswalk, crosswalk_target
from .importing import determination_parts
from .models import AppendixEntry, Assessment, Cycle, Framework, GoalDetermination, ReviewState
from .recompute import cycle_mark_stale
from .services import WorkflowError
from .texts import printed_texts, texts_fields


@dataclass(frozen=True)
class NewCycle:
    cycle: Cycle
    assessments: int
    determinations: int


def _clone(row, **overrides):
    """An unsaved copy of `row`: every stored field but the primary key and those the
    database computes, then `overrides`."""
    model = type(row)
    values = {
        field.attname: getattr(row, field.attname)
        for field in model._meta.concrete_fields
        if not (field.primary_key or field.generated)
    }
    values.update(overrides)
    return model(**values)


def _previous_cycle(year: int, previous_year: int | None) -> Cycle:
    if previous_year is None:
        previous = Cycle.objects.select_for_update().filter(year__lt=year).order_by("-year").first()
        if previous is None:
            raise WorkflowError(f"There is no cycle before {year} to copy from.")
    else:
        previous = Cycle.objects.select_for_update().filter(year=previous_year).first()
        if previous is None:
            raise WorkflowError(f"There is no {previous_year} cycle to copy from.")
    if previous.year >= year:
        raise WorkflowError(
            f"A new cycle must come after the one it copies: {year} is not after {previous.year}."
        )
    following = Cycle.objects.filter(previous=previous).first()
    if following is not None:
        raise WorkflowError(
            f"The {previous.year} cycle already has a next cycle ({following.year}); "
            f"copy from {following.year} instead."
        )
    return previous


def cycle_create_from_previous(
    *,
    year: int,
    user,
    legislative_cutoff: datetime.date | None = None,
    previous_year: int | None = None,
    framework: Framework | None = None,
    crosswalk: Any = None,
) -> NewCycle:
    """Open cycle `year` with a draft copy of every assessment of the previous cycle.

    The previous cycle is `previous_year`, or else the latest cycle before `year`. The
    cutoff defaults to the framework's cutoff rule in `year` (July 1 for the 2023 one).
    Each goal's copy is its last approved version (status, points, narrative, citations
    with the statutes they were approved with, footnotes, tables, recommendations,
    insights and extra credit); a goal never approved starts blank. Every determination
    starts over as a version-1 draft last edited by `user`.

    On another `framework` than the previous cycle's, `crosswalk` (a crosswalk file's data,
    assessments/crosswalks.py) says which old goals feed each new goal; a crosswalk alone
    opens the cycle on the framework its `to` names. Problems of the crosswalk raise
    CrosswalkFileProblems listing each; nothing is written on any refusal.
    """
    if not has_role(user, Role.ADMIN):
        raise PermissionDenied("Only an admin can open a new cycle.")
    if Cycle.objects.filter(year=year).exists():
        raise WorkflowError(f"There is already a {year} cycle; nothing was copied.")
    with transaction.atomic():
        previous = _previous_cycle(year, previous_year)
        framework, walk = _framework_and_crosswalk(previous, framework, crosswalk)
        cutoff = legislative_cutoff or framework.cutoff_in(year)
        if problem := Cycle.cutoff_problem(previous, cutoff):
            raise WorkflowError(problem + " Nothing was copied.")
        try:
            with transaction.atomic():
                cycle = Cycle.objects.create(
                    year=year,
                    framework=framework,
                    legislative_cutoff=cutoff,
                    previous=previous,
                    crosswalk=walk.stored() if walk else None,
                )
        except IntegrityError:
            # Someone opened the same year (or copied the same cycle) a moment earlier.
            raise WorkflowError(
                f"The {year} cycle was opened by someone else meanwhile; nothing was copied."
            ) from None
        assessments, determinations = _copy_assessments(previous, cycle, user=user, walk=walk)
        cycle_mark_stale(cycle_id=cycle.id)
    return NewCycle(cycle=cycle, assessments=assessments, determinations=determinations)


def _framework_and_crosswalk(
    previous: Cycle, framework: Framework | None, crosswalk: Any
) -> tuple[Framework, CrosswalkDocument | None]:
    """The new cycle's framework and, when it is not the previous cycle's, the checked
    crosswalk to it."""
    if framework is None:
        framework = crosswalk_target(crosswalk) if crosswalk is not None else previous.framework
    if framework.pk == previous.framework_id:
        if crosswalk is not None:
            raise WorkflowError(
                f"The new cycle keeps the {previous.year} cycle's framework ({framework}); a "
                "crosswalk is only for a new framework. Nothing was copied."
            )
        return framework, None
    if crosswalk is None:
        raise WorkflowError(
            f"The {previous.year} cycle is on {previous.framework}, the new cycle on "
            f"{framework}: give the crosswalk between them (--crosswalk FILE, "
            "docs/crosswalk-format.md). Nothing was copied."
        )
    return framework, checked_crosswalk(crosswalk, previous.framework, framework)


def _copy_assessments(
    previous: Cycle, cycle: Cycle, *, user, walk: CrosswalkDocument | None
) -> tuple[int, int]:
    history = {"default_user": user, "default_change_reason": f"Copied from {previous.year}"}

    old_assessments = list(
        Assessment.objects.filter(cycle=previous).select_related("texts_approved").order_by("id")
    )
    new_assessments = bulk_create_with_history(
        [
            _clone(
                a,
                cycle_id=cycle.id,
                version=1,
                # The new cycle's texts start as a draft of the last approved texts.
                **texts_fields(printed_texts(a)),
                texts_state=ReviewState.DRAFT,
                texts_approved_id=None,
                texts_edited_by_id=user.pk,
            )
            for a in old_assessments
        ],
        Assessment,
        **history,
    )
    assessment_ids = {
        old.id: new.id for old, new in zip(old_assessments, new_assessments, strict=True)
    }

    old_appendix = AppendixEntry.objects.filter(assessment__cycle=previous).order_by("id")
    bulk_create_with_history(
        [_clone(e, assessment_id=assessment_ids[e.assessment_id]) for e in old_appendix],
        AppendixEntry,
        **history,
    )

    if walk is not None:
        copied = CrosswalkCopy(walk, previous, cycle, user=user).run(assessment_ids, history)
        return len(new_assessments), copied
    old_determinations = list(
        GoalDetermination.objects.filter(assessment__cycle=previous)
        .select_related("approved")
        .order_by("id")
    )
    new_determinations = bulk_create_with_history(
        [
            _copy_of_approved(d, assessment_id=assessment_ids[d.assessment_id], user=user)
            for d in old_determinations
        ],
        GoalDetermination,
        **history,
    )
    categories = dict(
        models.ExtraCreditCategory.objects.filter(framework_id=previous.framework_id).values_list(
            "code", "id"
        )
    )
    parts: dict[type, list] = {model: [] for model in models.DETERMINATION_PARTS}
    for old, new in zip(old_determinations, new_determinations, strict=True):
        if old.approved_id is not None:
            for model, rows in _approved_parts(old.approved, new, categories).items():
                parts[model].extend(rows)
    for model, rows in parts.items():
        bulk_create_with_history(rows, model, **history)
    return len(new_assessments), len(new_determinations)


def _copy_of_approved(old: GoalDetermination, *, assessment_id: int, user) -> GoalDetermination:
    """A version-1 draft of the goal as last approved; a goal never approved starts blank
    (not met, no narrative): an unreviewed draft is not carried into a new cycle."""
    copy = GoalDetermination(
        assessment_id=assessment_id,
        goal_id=old.goal_id,
        review_state=ReviewState.DRAFT,
        version=1,
        last_edited_by_id=user.pk,
    )
    if old.approved_id is not None:
        approved = old.approved
        copy.status, copy.points = approved.status, approved.points
        copy.points_derived = approved.document.get("points_derived", False)
        copy.narrative = approved.document.get("narrative", "")
        copy.marked_title = approved.document.get("marked_title", "")
    return copy


def _approved_parts(approval, determination: GoalDetermination, categories: dict) -> dict:
    """The parts of the approved version, as rows of the new determination; each citation
    cites the statute it was approved with."""
    cited = [citation.get("statute") or {} for citation in approval.document.get("citations", [])]
    statute_ids = [statute["id"] for statute in cited]
    return determination_parts(determination, approved_document(approval), statute_ids, categories)
