"""An assessment's state texts as one reviewable unit, and their approval frozen.

The texts printed on the report card (highlights, issue and extra-credit summaries, the
Safe Harbor texts, the historical background and the analysis footnote) have one version
(`Assessment.version`) and one review state (`Assessment.texts_state`), like a goal:

    draft --submit--> submitted --approve--> approved
      ^                  |                      |
      +--request changes-+                      +--edit (needs change reason)--> draft

Approving freezes them as an `AssessmentTextsApproval`; the card prints that approval, so
the last approved texts keep counting while a newer draft waits for review.
"""

from __future__ import annotations

from django.utils import timezone

from core.diffs import Change, display_value

from . import document as doc
from .models import Assessment, AssessmentTextsApproval, ReviewState

# Every field of the unit, as the review diff and the history list them, in print order.
TEXT_FIELDS = (
    ("highlights", "Highlights"),
    ("issue_summaries", "Issue summaries"),
    ("extra_credit_summaries", "Extra credit summaries"),
    ("safe_harbor", "Safe Harbor status"),
    ("safe_harbor_summary", "Safe Harbor summary"),
    ("historical_background", "Historical background"),
    ("analysis_footnote", "Analysis footnote"),
)


def texts_document(assessment) -> dict:
    """The assessment's live texts as JSON: the assessment document's `texts`, plus the
    analysis footnote (reads attributes only, so migrations can use it too)."""
    return {
        "highlights": list(assessment.highlights or []),
        "issue_summaries": dict(assessment.issue_summaries or {}),
        "extra_credit_summaries": dict(assessment.extra_credit_summaries or {}),
        "safe_harbor": assessment.safe_harbor_status,
        "safe_harbor_summary": assessment.safe_harbor_summary,
        "historical_background": assessment.historical_background,
        "analysis_footnote": assessment.analysis_footnote,
    }


def texts_of_part(texts: doc.Texts, analysis_footnote: str) -> dict:
    """A texts document from the assessment document's `Texts` (the inverse of
    `_texts_part`)."""
    data = texts.model_dump(mode="json", exclude=doc.REVIEW_FIELDS | {"analysis_intro_footnote"})
    return {**data, "analysis_footnote": analysis_footnote}


def texts_fields(document: dict) -> dict:
    """The Assessment fields of a texts document (the inverse of `texts_document`)."""
    return {
        "highlights": list(document.get("highlights", [])),
        "issue_summaries": dict(document.get("issue_summaries", {})),
        "extra_credit_summaries": dict(document.get("extra_credit_summaries", {})),
        "safe_harbor_status": document.get("safe_harbor", ""),
        "safe_harbor_summary": document.get("safe_harbor_summary", ""),
        "historical_background": document.get("historical_background", ""),
        "analysis_footnote": document.get("analysis_footnote", ""),
    }


def printed_texts(assessment: Assessment) -> dict:
    """What the card prints: the approved texts, or the live ones while none was ever
    approved (a draft preview; publishing refuses unapproved texts)."""
    if assessment.texts_approved_id:
        return assessment.texts_approved.document
    return texts_document(assessment)


def _texts_part(texts: dict, part: type[doc.Texts] = doc.Texts, **review) -> doc.Texts:
    """A texts document (`texts_document`'s shape) as the assessment document's `Texts`,
    marked with `review`; the analysis footnote is left out except in a `TextsDraft`."""
    data = dict(texts)
    footnote = data.pop("analysis_footnote", "")
    if part is doc.TextsDraft and footnote:
        data["analysis_intro_footnote"] = analysis_footnote_part(footnote)
    return part.model_validate({**data, **review})


def analysis_footnote_part(text: str) -> doc.Footnote | None:
    return doc.Footnote(label="1", text=text) if text else None


def approved_texts(approval: AssessmentTextsApproval) -> tuple[doc.Texts, str]:
    """The approved texts as the assessment document's `Texts`, marked approved with their
    version, and the analysis footnote approved with them."""
    texts = _texts_part(
        approval.document, review_state=ReviewState.APPROVED, version=approval.version
    )
    return texts, approval.document.get("analysis_footnote", "")


def texts_versions(assessment: Assessment) -> tuple[doc.Texts, str]:
    """The state texts as `export_assessment` writes them, and the analysis footnote printed
    with them: the last approved texts and, where one exists, their newer draft (carrying
    its own footnote), each marked with its review state and version; texts never approved
    are the working version, marked as such."""
    live = texts_document(assessment)
    if not assessment.texts_approved_id:
        texts = _texts_part(live, review_state=assessment.texts_state, version=assessment.version)
        return texts, live["analysis_footnote"]
    texts, footnote = approved_texts(assessment.texts_approved)
    if texts_pending_version(assessment) is not None:
        draft = _texts_part(
            live, doc.TextsDraft, review_state=assessment.texts_state, version=assessment.version
        )
        texts = texts.model_copy(update={"draft": draft})
    return texts, footnote


def texts_approval_record(
    assessment: Assessment, *, user, approved_at=None, texts: dict | None = None, version=None
):
    """Freeze the assessment's current texts as approved by `user` and point it at the
    approval; the caller saves the assessment. An import gives the approved `texts` (a
    texts document) and `version` where the assessment holds their newer draft."""
    approval = AssessmentTextsApproval.objects.create(
        assessment=assessment,
        version=version or assessment.version,
        document=texts_document(assessment) if texts is None else texts,
        approved_by=user,
        approved_at=approved_at or timezone.now(),
    )
    assessment.texts_approved = approval
    assessment.texts_state = ReviewState.APPROVED
    return approval


def texts_pending_version(assessment: Assessment) -> int | None:
    """The newer texts version waiting while an approved one counts."""
    if assessment.texts_approved_id and assessment.texts_state != ReviewState.APPROVED:
        return assessment.version
    return None


def texts_changes(assessment: Assessment) -> list[Change]:
    """Every text that differs from the last approved texts (all of them when none were
    approved), for the reviewer's word diff."""
    approved = assessment.texts_approved.document if assessment.texts_approved_id else {}
    live = texts_document(assessment)
    changes = [
        Change(name, label, display_value(approved.get(name)), display_value(live[name]))
        for name, label in TEXT_FIELDS
    ]
    return [change for change in changes if change.differs]
