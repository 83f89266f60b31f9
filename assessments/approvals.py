"""A determination as a document, and its approval frozen from the live rows.

One builder (`determination_document`) turns a determination's rows into the assessment
document's `Determination`: the export writes it, and an approval stores it (with the cited
statutes' wording) so that what counts and what is printed never changes after approval.
"""

from __future__ import annotations

import copy

from django.db.models import Prefetch
from django.utils import timezone

from core.diffs import Change
from statutes.models import Statute

from . import document as doc
from .changes import goal_changes
from .models import (
    ApprovedStatute,
    Citation,
    DeterminationApproval,
    ExtraCreditAward,
    GoalDetermination,
    ReviewState,
)

# What building a document reads of a determination, in a fixed number of queries.
DOCUMENT_PREFETCH = (
    Prefetch("citations", queryset=Citation.objects.select_related("statute")),
    "footnotes",
    "tables",
    "recommendations",
    "insights",
    Prefetch("extra_credit_awards", queryset=ExtraCreditAward.objects.select_related("category")),
)


def document_part(part: type[doc.DocumentPart], row, **given):
    """A document part from a database row: the values given, and every other field read
    from the row under its own name."""
    named = part.model_fields.keys() - given.keys()
    return part(**given, **{name: getattr(row, name) for name in named})


def determination_document(row: GoalDetermination) -> doc.Determination:
    """The determination's live rows as a document part, marked with their review state
    and version (prefetch DOCUMENT_PREFETCH)."""
    return document_part(
        doc.Determination,
        row,
        draft=None,
        goal=row.goal.number,
        citations=[
            document_part(
                doc.Citation, cite, citation=cite.statute.citation, caption=cite.statute.caption
            )
            for cite in row.citations.all()
        ],
        footnotes=[document_part(doc.Footnote, note) for note in row.footnotes.all()],
        tables=[document_part(doc.Table, table) for table in row.tables.all()],
        recommendations=[recommendation.text for recommendation in row.recommendations.all()],
        insights=[document_part(doc.Insight, insight) for insight in row.insights.all()],
        extra_credit=[
            document_part(doc.ExtraCredit, award, category=award.category.code)
            for award in row.extra_credit_awards.all()
        ],
    )


def frozen_document(row: GoalDetermination) -> dict:
    """The determination as JSON, each citation carrying its statute as it reads now."""
    data = determination_document(row).model_dump(mode="json", exclude=doc.REVIEW_FIELDS)
    for cited, cite in zip(data["citations"], row.citations.all(), strict=True):
        cited["statute"] = statute_wording(cite.statute)
    return data


def statute_wording(statute) -> dict:
    """What an approval keeps of a cited statute."""
    return {
        "id": statute.pk,
        "version": statute.version,
        "citation": statute.citation,
        "caption": statute.caption,
        "text": statute.text,
    }


def approved_document(approval: DeterminationApproval) -> doc.Determination:
    """The determination as it was approved (the statute details are left out)."""
    return doc.Determination.model_validate(approval.document)


def approvals_record(
    determinations: list[GoalDetermination], *, user, approved_at=None
) -> list[DeterminationApproval]:
    """Freeze each determination's current version as approved by `user`, in a fixed
    number of queries, and point each at its approval; the caller saves the determinations
    (holding their row locks, or having just created them)."""
    rows = GoalDetermination.objects.filter(
        pk__in=[determination.pk for determination in determinations]
    ).prefetch_related(*DOCUMENT_PREFETCH)
    by_id = {row.pk: row for row in rows}
    approved_at = approved_at or timezone.now()
    approvals = DeterminationApproval.objects.bulk_create(
        _approval(by_id[determination.pk], user=user, approved_at=approved_at)
        for determination in determinations
    )
    ApprovedStatute.objects.bulk_create(
        ApprovedStatute(approval=approval, statute_id=pk, version=version)
        for approval in approvals
        for pk, version in {
            cite.statute_id: cite.statute.version
            for cite in by_id[approval.determination_id].citations.all()
        }.items()
    )
    for determination, approval in zip(determinations, approvals, strict=True):
        determination.approved = approval
        determination.review_state = ReviewState.APPROVED
    return approvals


def approvals_from_documents(entries, *, user) -> list[DeterminationApproval]:
    """Approvals of versions given as documents, not as live rows (an imported approved
    version whose newer draft is what the rows hold): `entries` pairs each saved
    determination with its approved `doc.Determination` (points as counted) and the
    statutes its citations name, in order. Each approval keeps the statutes' wording as
    they read now, like an approval of the rows."""
    approved_at = timezone.now()
    approvals = DeterminationApproval.objects.bulk_create(
        DeterminationApproval(
            determination=determination,
            version=approved.version or determination.version,
            status=approved.status,
            points=approved.points,
            extra_credit={award.category: str(award.points) for award in approved.extra_credit},
            document=_with_wording(approved, statutes),
            approved_by=user,
            approved_at=approved_at,
        )
        for determination, approved, statutes in entries
    )
    ApprovedStatute.objects.bulk_create(
        ApprovedStatute(approval=approval, statute=statute, version=statute.version)
        for approval, (_, _, statutes) in zip(approvals, entries, strict=True)
        for statute in {statute.pk: statute for statute in statutes}.values()
    )
    return approvals


def _with_wording(approved: doc.Determination, statutes: list) -> dict:
    data = approved.model_dump(mode="json", exclude=doc.REVIEW_FIELDS)
    for cited, statute in zip(data["citations"], statutes, strict=True):
        cited["statute"] = statute_wording(statute)
    return data


def _approval(row: GoalDetermination, *, user, approved_at) -> DeterminationApproval:
    return DeterminationApproval(
        determination=row,
        version=row.version,
        status=row.status,
        points=row.points,
        extra_credit={
            award.category.code: str(award.points) for award in row.extra_credit_awards.all()
        },
        document=frozen_document(row),
        approved_by=user,
        approved_at=approved_at,
    )


def approval_with_current_wording(
    approval: DeterminationApproval, *, user
) -> DeterminationApproval:
    """A new approval of the same determination version, its citations now carrying the
    statutes as the library words them (the caller checks the rules and saves the
    determination, which it points at the new approval)."""
    document = copy.deepcopy(approval.document)
    cited = [citation.get("statute") or {} for citation in document.get("citations", [])]
    statutes = Statute.objects.in_bulk({statute.get("id") for statute in cited} - {None})
    for citation in document.get("citations", []):
        statute = statutes.get((citation.get("statute") or {}).get("id"))
        if statute is not None:
            citation.update(citation=statute.citation, caption=statute.caption)
            citation["statute"] = statute_wording(statute)
    renewed = DeterminationApproval.objects.create(
        determination_id=approval.determination_id,
        version=approval.version,
        status=approval.status,
        points=approval.points,
        extra_credit=approval.extra_credit,
        document=document,
        approved_by=user,
    )
    ApprovedStatute.objects.bulk_create(
        ApprovedStatute(approval=renewed, statute=statute, version=statute.version)
        for statute in statutes.values()
    )
    return renewed


def changes_since_approval(row: GoalDetermination) -> list[Change] | None:
    """What the determination's live rows change against its approval that counts, in
    words (assessments/changes.py); None when no version was ever approved. Needs the
    approval, the goal and DOCUMENT_PREFETCH loaded to stay within a fixed query count."""
    if row.approved_id is None:
        return None
    current = determination_document(row).model_dump(mode="json", exclude=doc.REVIEW_FIELDS)
    return goal_changes(row.approved.document, current, max_points=row.goal.max_points)
