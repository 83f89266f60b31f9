""" "Restore this version": an approved version of a goal, read back from its frozen
approval (assessments/approvals.py) as the editor's data, to be saved as a new version.

The approval is where a past version is kept whole (citations with their statute,
recommendations, insights, extra credit); footnotes and tables are not edited on the goal
page, so a restore leaves them as they are now.
"""

from __future__ import annotations

from decimal import Decimal

from core.limits import TypedText

from . import permissions, services
from .models import DeterminationApproval, ExtraCreditCategory, GoalDetermination
from .permissions import WorkflowError
from .services import AwardData, CitationData, DeterminationData, InsightData


def approved_version(determination: GoalDetermination, version: int) -> DeterminationApproval:
    """The approval that froze `version` (its latest, if the version was approved again
    with a newer statute wording); WorkflowError when that version was never approved."""
    approval = (
        DeterminationApproval.objects.filter(determination_id=determination.pk, version=version)
        .order_by("-approved_at", "-id")
        .first()
    )
    if approval is None:
        raise WorkflowError(
            f"Version {version} of goal {determination.goal.number} was never approved, so "
            "there is no whole copy of it to restore."
        )
    return approval


def restored_data(approval: DeterminationApproval, framework_id: int) -> DeterminationData:
    """The approved document as the editor would post it: every part as new rows."""
    document = approval.document
    codes = {award["category"] for award in document.get("extra_credit", [])}
    categories = dict(
        ExtraCreditCategory.objects.filter(framework_id=framework_id, code__in=codes).values_list(
            "code", "pk"
        )
    )
    points = document.get("points")
    return DeterminationData(
        status=document["status"],
        points=Decimal(points) if points is not None else None,
        narrative=document.get("narrative", ""),
        citations=[_citation(cited) for cited in document.get("citations", [])],
        recommendations=list(document.get("recommendations", [])),
        insights=[
            InsightData(quote=insight["quote"], attribution=insight.get("attribution", ""))
            for insight in document.get("insights", [])
        ],
        extra_credit=[
            AwardData(
                category_id=categories.get(award["category"], 0),
                points=Decimal(award["points"]),
                explanation=award.get("explanation", ""),
            )
            for award in document.get("extra_credit", [])
        ],
    )


def _citation(cited: dict) -> CitationData:
    """The statute the approval cited, by id when it kept it, else by its citation."""
    statute = cited.get("statute") or {}
    return CitationData(
        statute_id=statute.get("id"),
        new_citation=cited["citation"],
        new_caption=cited.get("caption", ""),
        pinpoint=cited.get("pinpoint", ""),
        quote=cited.get("quote", ""),
    )


def determination_restore(
    *, determination_id: int, user, expected_version: int, version: int, reason: str
) -> GoalDetermination:
    """Save approved version `version` of a goal again, as its next version, with the
    reason (required) for the history. Like any edit it makes a draft: the version approved
    now keeps counting until the restored one is approved."""
    determination = GoalDetermination.objects.select_related("goal").get(pk=determination_id)
    role = permissions.can_edit(user, determination)
    if role.forbidden:
        role.enforce()
    reason = reason.strip()
    _check_reason(reason)
    approval = approved_version(determination, version)
    return services.determination_save(
        determination_id=determination_id,
        user=user,
        expected_version=expected_version,
        data=restored_data(approval, determination.goal.framework_id),
        change_reason=f"Restored version {version}: {reason}",
    )


# The history keeps 100 characters of a change reason; "Restored version 12: " takes 21.
RESTORE_REASON_MAX_CHARS = 75
RESTORE_REASON = TypedText(
    "reason",
    "Say why this version is restored: the reason is required.",
    RESTORE_REASON_MAX_CHARS,
    multiline=False,
)


def _check_reason(reason: str) -> None:
    if problem := RESTORE_REASON.problem(reason):
        raise WorkflowError(problem)
