"""Import and export of one assessment as a document (assessments/document.py).

The whole document is checked before anything is written: first against the schema, then
against the database (the jurisdiction, the cycle's policy goals, the scoring rules, the
extra-credit opportunities). A file with one bad goal changes nothing and reports every
problem with its goal number. Export builds the same document from the database, so
export → import → export is the identity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from pydantic import ValidationError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import narrative
from statutes.models import Appropriation, Bill, Jurisdiction, Statute

from . import document as doc
from . import models, scoring
from .approvals import (
    approvals_from_documents,
    approvals_record,
    approved_document,
    determination_document,
    document_part,
)
from .placeholders import placeholder_problems
from .recompute import cycle_mark_stale
from .references import marked_title_problem, reference_problems
from .selectors import assessment_for_export
from .texts import (
    analysis_footnote_part,
    approved_texts,
    texts_approval_record,
    texts_fields,
    texts_of_part,
    texts_versions,
)

IMPORT_REASON = "Imported from file"


class ImportRejected(Exception):
    """The document has problems; nothing was written. `problems` lists them all."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems))


@dataclass
class _Plan:
    """The database rows a document refers to, and the document once all of it is valid."""

    jurisdiction: Jurisdiction
    cycle: models.Cycle
    user: Any
    goals: dict[str, models.PolicyGoal]
    categories: dict[str, models.ExtraCreditCategory]
    document: doc.AssessmentDocument | None = None
    reason: str = IMPORT_REASON


def validate_assessment_document(data: Any, *, username: str | None = None) -> _Plan:
    """Check the whole document, schema and database; raises ImportRejected listing all."""
    problems: list[str] = []
    try:
        document = doc.AssessmentDocument.model_validate(data)
    except ValidationError as error:
        document = None
        problems.extend(doc.problems(error, data))
    heading, rows = (document, document.determinations) if document else _sound_parts(data)
    plan = _resolve(heading, username, problems)
    if plan is not None:
        problems.extend(_determination_problems(plan, rows))
    if document is not None:
        problems.extend(_state_text_problems(document.texts))
        problems.extend(_printed_part_problems(document))
    if problems:
        raise ImportRejected(problems)
    plan.document = document
    return plan


def _sound_parts(data: Any) -> tuple[doc.DocumentHeading | None, list]:
    """What of an invalid document can still be checked against the database: its heading
    and each determination that is valid on its own; of the others, the goal number."""
    heading = _valid_or_none(doc.DocumentHeading, data)
    rows = data.get("determinations") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return heading, []
    return heading, [
        _valid_or_none(doc.Determination, row) or doc.written_goal(row) for row in rows
    ]


def _valid_or_none(model: type[doc.DocumentPart], data: Any):
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _resolve(heading, username: str | None, problems: list[str]) -> _Plan | None:
    """The jurisdiction, cycle and user the heading names, or None after saying why."""
    if heading is None:
        return None
    jurisdiction = Jurisdiction.objects.filter(code=heading.jurisdiction).first()
    if jurisdiction is None:
        problems.append(f"Unknown jurisdiction “{heading.jurisdiction}”.")
    cycle = models.Cycle.objects.select_related("framework").filter(year=heading.cycle).first()
    if cycle is None:
        problems.append(f"There is no {heading.cycle} cycle.")
    user = _user(username or heading.author, problems)
    if not (jurisdiction and cycle and user):
        return None
    framework = cycle.framework
    goals = framework.goals.prefetch_related("extra_credit_opportunities__category")
    return _Plan(
        jurisdiction=jurisdiction,
        cycle=cycle,
        user=user,
        goals={goal.number: goal for goal in goals},
        categories={c.code: c for c in framework.extra_credit_categories.all()},
    )


def _user(username: str | None, problems: list[str]):
    if not username:
        problems.append("Name the user the import is attributed to (--user or “author”).")
        return None
    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        problems.append(f"Unknown user “{username}”.")
    return found


def _determination_problems(plan: _Plan, rows: list) -> Iterator[str]:
    """One determination per goal of the framework, each within the scoring rules. A row
    given as a goal number alone was invalid (already reported) but still counts as given."""
    seen = set()
    for index, row in enumerate(rows, start=1):
        number = row.goal if isinstance(row, doc.Determination) else row
        if number is None:
            continue
        goal = plan.goals.get(number)
        if goal is None:
            yield f"determination {index}: unknown policy goal “{number}”."
        elif number in seen:
            yield f"goal {number}: appears more than once."
        elif isinstance(row, doc.Determination):
            yield from (f"goal {number}: {problem}" for problem in _goal_problems(plan, goal, row))
            if problem := marked_title_problem(number, goal.text, row.marked_title):
                yield problem
            yield from _text_problems(row)
        seen.add(number)
    for number in plan.goals:
        if number not in seen:
            yield f"goal {number}: is missing; every policy goal needs a determination."


def _text_problems(row: doc.Determination) -> Iterator[str]:
    """Texts outside the narrative format, and references to nothing: imports are approved."""
    texts = {
        "narrative": row.narrative,
        "marked title": row.marked_title,
        **{f"citation {i} quote": c.quote for i, c in enumerate(row.citations, start=1)},
        **{f"footnote {f.label}": f.text for f in row.footnotes},
        **{f"recommendation {i}": text for i, text in enumerate(row.recommendations, start=1)},
        **{f"insight {i}": insight.quote for i, insight in enumerate(row.insights, start=1)},
        **{f"extra credit {a.category}": a.explanation for a in row.extra_credit},
    }
    for name, text in {**texts, **_printed_lines(row)}.items():
        if error := narrative.format_error(text, f"goal {row.goal}: the {name}"):
            yield error
    yield from reference_problems(
        goal=row.goal,
        narrative_text=row.narrative,
        other_texts=[text for name, text in texts.items() if name != "narrative"],
        quotes=len(row.citations),
        tables=len(row.tables),
        footnotes=[footnote.label for footnote in row.footnotes],
    )


# The short texts a card prints as inline narrative, checked like the editor's fields.
CITATION_LINES = ("citation", "caption", "pinpoint")
STATUTE_LINES = ("citation", "caption")
BILL_LINES = ("bill", "session", "recipient", "purpose", "term", "term_note")
APPENDIX_LINES = ("citation", "caption", "pinpoint", "text")


def _printed_lines(row: doc.Determination) -> dict[str, str]:
    """A goal's short texts the card prints as inline narrative: citations, captions and
    pinpoints, attributions, table titles and cells (as the editor's fields require)."""
    lines = {}
    for i, c in enumerate(row.citations, start=1):
        lines |= {f"citation {i} {name}": getattr(c, name) for name in CITATION_LINES}
    for i, insight in enumerate(row.insights, start=1):
        lines[f"insight {i} attribution"] = insight.attribution
    for i, table in enumerate(row.tables, start=1):
        cells = [*table.columns, *(cell for cells in table.rows for cell in cells)]
        lines |= {f"table {i} title": table.title}
        lines |= {f"table {i} cell {n}": str(cell) for n, cell in enumerate(cells, start=1)}
    return lines


def _printed_part_problems(document: doc.AssessmentDocument) -> Iterator[str]:
    """The jurisdiction's statutes, appropriations and appendix are printed on the card
    too: the narrative format, as the statute library's form requires on save."""
    texts = {}
    for s in document.statutes:
        texts |= {f"statute “{s.citation}”: the {name}": getattr(s, name) for name in STATUTE_LINES}
    for i, a in enumerate(document.appropriations, start=1):
        texts |= {f"appropriation {i}: the {name}": getattr(a, name) for name in BILL_LINES}
    for i, e in enumerate(document.appendix, start=1):
        texts |= {f"appendix entry {i}: the {name}": getattr(e, name) for name in APPENDIX_LINES}
        texts |= {f"appendix entry {i}: footnote {f.label}": f.text for f in e.footnotes}
    for label, text in texts.items():
        if error := narrative.format_error(text, label):
            yield error


def _state_text_problems(texts: doc.Texts) -> Iterator[str]:
    """The state texts are printed too: the narrative format and known placeholders, as the
    texts page requires on save; for the approved texts and any newer draft."""
    for version, prefix in ((texts, "texts"), (texts.draft, "draft texts")):
        if version is None:
            continue
        printed = {
            **{f"highlight {i}": text for i, text in enumerate(version.highlights, start=1)},
            **{f"issue {key} summary": text for key, text in version.issue_summaries.items()},
            **{
                f"extra credit {key} summary": text
                for key, text in version.extra_credit_summaries.items()
            },
            "Safe Harbor status": version.safe_harbor,
            "Safe Harbor summary": version.safe_harbor_summary,
        }
        for name, text in printed.items():
            label = f"{prefix}: the {name}"
            if error := narrative.format_error(text, label):
                yield error
            yield from placeholder_problems(text, label)


def _goal_problems(plan: _Plan, goal, row: doc.Determination) -> Iterator[str]:
    if problem := scoring.goal_points_problem(row.status, row.points, goal.max_points):
        yield problem
    offered = {o.category.code: o for o in goal.extra_credit_opportunities.all()}
    awarded = set()
    for index, award in enumerate(row.extra_credit, start=1):
        code = award.category
        if code not in plan.categories:
            known = ", ".join(sorted(plan.categories))
            yield f"extra credit {index}: unknown category “{code}” (use {known})."
        elif code in awarded:
            yield f"extra credit “{code}” is awarded twice."
        elif code not in offered:
            yield f"offers no {plan.categories[code].label} extra credit."
        elif problem := scoring.award_problem(award.points, offered[code].max_points):
            yield problem
        awarded.add(code)


def assessment_import(
    *, data: Any, username: str | None = None, queue_recompute: bool = True, reason: str = ""
) -> models.Assessment:
    """Create or replace one assessment from `data`, attributed to the user.

    Each goal is restored in the review state and version the document gives it: an
    approved version (the state left out means approved), and where one is given its newer
    draft. Replacing an assessment updates its goals in place, as a change by the user for
    `reason`, so every earlier version, approval and review event stays in its history.
    `queue_recompute=False` is for bulk loads that recompute once at the end.
    """
    plan = validate_assessment_document(data, username=username)
    plan.reason = f"{IMPORT_REASON}: {reason}" if reason else IMPORT_REASON
    with transaction.atomic():
        assessment = _write(plan)
        cycle_mark_stale(cycle_id=plan.cycle.id, queue=queue_recompute)
    return assessment


# Writing ---------------------------------------------------------------------------------


class _Statutes:
    """The jurisdiction's statutes by citation: a citation not known yet is created, and
    texts or dates given for a statute update it (one left out keeps its value)."""

    def __init__(self, jurisdiction: Jurisdiction):
        self.jurisdiction = jurisdiction
        self.by_citation = {s.citation: s for s in jurisdiction.statutes.all()}

    def get(self, citation: str, **given) -> Statute:
        statute = self.by_citation.get(citation)
        if statute is None:
            statute, _ = Statute.objects.get_or_create(
                jurisdiction=self.jurisdiction, citation=citation
            )
            self.by_citation[citation] = statute
        changed = {
            name: value
            for name, value in given.items()
            if value and value != getattr(statute, name)
        }
        if changed:
            for name, value in changed.items():
                setattr(statute, name, value)
            statute.version += 1  # an editor with the older version open gets a conflict
            statute._change_reason = IMPORT_REASON
            statute.save()
        return statute


def _write(plan: _Plan) -> models.Assessment:
    """The jurisdiction's statutes, appropriations and PIC scores, then the assessment with
    its goals, each in the review state the document gives."""
    document = plan.document
    statutes = _Statutes(plan.jurisdiction)
    for row in document.statutes:
        statutes.get(row.citation, **row.model_dump(exclude={"citation"}))
    _write_appropriations(plan.jurisdiction, document.appropriations)
    _write_pic_scores(plan.jurisdiction, document.pic_scores)
    assessment, existing = _write_assessment(plan)
    determinations = _write_determinations(plan, assessment, existing)
    _write_parts(plan, determinations, statutes)
    _write_appendix(plan, assessment, statutes)
    _write_approvals(plan, determinations, statutes)
    return assessment


def _live(row: doc.Determination) -> doc.Determination:
    """The version a goal's rows hold: its draft where it has one."""
    return row.draft or row


def _is_approved(row: doc.Determination) -> bool:
    return row.review_state in (None, models.ReviewState.APPROVED)


def _write_approvals(plan: _Plan, determinations, statutes: _Statutes) -> None:
    """Each approved version frozen as approved by the importing user: from the rows where
    they hold it, from the document where they hold its newer draft."""
    as_rows, as_documents = [], []
    for determination, row in zip(determinations, plan.document.determinations, strict=True):
        if not _is_approved(row):
            continue
        if row.draft is None:
            as_rows.append(determination)
            continue
        goal = plan.goals[row.goal]
        points = scoring.goal_points(row.status, row.points, goal.max_points)
        approved = row.model_copy(update={"points": points})
        cited = [statutes.get(cite.citation) for cite in row.citations]
        as_documents.append((determination, approved, cited))
    approvals = approvals_record(as_rows, user=plan.user) if as_rows else []
    approvals += approvals_from_documents(as_documents, user=plan.user) if as_documents else []
    for approval in approvals:
        approval.determination.approved = approval
    approved = [approval.determination for approval in approvals]
    models.GoalDetermination.objects.bulk_update(approved, ["approved"])
    models.ReviewEvent.objects.bulk_create(
        models.ReviewEvent(
            determination=approval.determination,
            version=approval.version,
            actor=plan.user,
            action=models.ReviewEvent.Action.APPROVE,
            comment=plan.reason,
        )
        for approval in approvals
    )


def _write_appropriations(jurisdiction: Jurisdiction, rows: list[doc.Appropriation]) -> None:
    for position, row in enumerate(rows, start=1):
        bill, _ = Bill.objects.get_or_create(
            jurisdiction=jurisdiction, number=row.bill, session=row.session
        )
        Appropriation.objects.update_or_create(
            bill=bill,
            recipient=row.recipient,
            defaults={
                **row.model_dump(
                    include={"amount", "amount_footnote", "purpose", "term", "term_note"}
                ),
                "position": position,
            },
        )


def _write_pic_scores(jurisdiction: Jurisdiction, rows: list[doc.PicScore]) -> None:
    for row in rows:
        pairs = zip(row.areas, row.maxima, strict=True)
        models.ProtectedInnocenceScore.objects.update_or_create(
            jurisdiction=jurisdiction,
            year=row.year,
            defaults={
                "score": row.score,
                "grade": row.grade,
                "area_scores": [[str(score), str(maximum)] for score, maximum in pairs],
            },
        )


def _write_assessment(plan: _Plan) -> tuple[models.Assessment, dict]:
    """The assessment with the document's texts, and its goals as they were by goal id (an
    existing assessment's goals are kept, to be updated in place, but lose their parts)."""
    assessment, created = models.Assessment.objects.get_or_create(
        jurisdiction=plan.jurisdiction, cycle=plan.cycle
    )
    existing = {}
    if not created:
        existing = {row.goal_id: row for row in assessment.determinations.all()}
        _delete_recorded(plan, models.AppendixEntry.objects.filter(assessment=assessment))
        for model in models.DETERMINATION_PARTS:
            _delete_recorded(plan, model.objects.filter(determination__assessment=assessment))
    assessment.synthetic = plan.document.synthetic
    _write_texts(plan, assessment, next_version=assessment.version + (0 if created else 1))
    assessment._change_reason = plan.reason
    assessment._history_user = plan.user
    assessment.save()
    return assessment, existing


def _write_texts(plan: _Plan, assessment, *, next_version: int) -> None:
    """The state texts in the review state and version the document gives, like a goal:
    the assessment holds the live version (the draft where one is given), and an approved
    version is frozen as approved by the importing user. Texts without a state are
    approved; an approval the document does not give stops counting."""
    texts, intro = plan.document.texts, plan.document.analysis_intro_footnote
    live = texts.draft or texts
    live_intro = live.analysis_intro_footnote if texts.draft else intro
    for name, value in texts_fields(texts_of_part(live, _footnote_text(live_intro))).items():
        setattr(assessment, name, value)
    assessment.version = live.version or next_version
    assessment.texts_state = live.review_state or models.ReviewState.APPROVED
    assessment.texts_approved = None
    if texts.review_state not in (None, models.ReviewState.APPROVED):
        return
    approved = texts_of_part(texts, _footnote_text(intro)) if texts.draft else None
    approval = texts_approval_record(
        assessment, user=plan.user, texts=approved, version=texts.version
    )
    assessment.texts_state = live.review_state or models.ReviewState.APPROVED
    models.TextsReviewEvent.objects.create(
        assessment=assessment,
        version=approval.version,
        actor=plan.user,
        action=models.ReviewEvent.Action.APPROVE,
        comment=plan.reason,
    )


def _footnote_text(footnote: doc.Footnote | None) -> str:
    return footnote.text if footnote else ""


def _delete_recorded(plan: _Plan, rows) -> None:
    """Delete `rows` one by one, so that each deletion's history record names the
    importing user and the reason."""
    for row in rows:
        row._history_user = plan.user
        row._change_reason = plan.reason
        row.delete()


DETERMINATION_FIELDS = [
    "status",
    "points",
    "points_derived",
    "narrative",
    "marked_title",
    "needs_fresh_look",
    "review_state",
    "approved",
    "version",
    "last_edited_by",
]


def _write_determinations(plan: _Plan, assessment, existing: dict) -> list:
    """The document's determinations in the document's order, each holding its live
    version (the draft where one is given): new rows created, existing ones updated in
    place (a new version unless the document names one)."""
    determinations, created, updated = [], [], []
    for row in plan.document.determinations:
        goal, live = plan.goals[row.goal], _live(row)
        determination = existing.get(goal.pk)
        if determination is None:
            determination = models.GoalDetermination(assessment=assessment, goal=goal)
            created.append(determination)
            version = live.version or 1
        else:
            updated.append(determination)
            version = live.version or determination.version + 1
        determination.status = live.status
        determination.points = scoring.goal_points(live.status, live.points, goal.max_points)
        determination.points_derived = live.points_derived
        determination.narrative = live.narrative
        determination.marked_title = live.marked_title
        # The imported goal is someone's assessment of it, as a save in the editor is.
        determination.needs_fresh_look = False
        determination.review_state = live.review_state or models.ReviewState.APPROVED
        # An approval an import does not give stops counting (approvals are recorded next).
        determination.approved = None
        determination.version = version
        determination.last_edited_by = plan.user
        determinations.append(determination)
    by_goal = {row.goal_id: row for row in _bulk_create(plan, models.GoalDetermination, created)}
    if updated:
        bulk_update_with_history(
            updated,
            models.GoalDetermination,
            DETERMINATION_FIELDS,
            default_user=plan.user,
            default_change_reason=plan.reason,
        )
    return [by_goal.get(row.goal_id, row) for row in determinations]


def _bulk_create(plan: _Plan, model, rows: list) -> list:
    return bulk_create_with_history(
        rows, model, default_user=plan.user, default_change_reason=plan.reason
    )


def _write_parts(plan: _Plan, determinations, statutes: _Statutes) -> None:
    """Citations, footnotes, tables, recommendations, insights and awards, in one insert
    per kind for the whole assessment."""
    parts: dict[type, list] = {}
    for determination, row in zip(determinations, plan.document.determinations, strict=True):
        for model, objects in _parts_of(plan, determination, _live(row), statutes).items():
            parts.setdefault(model, []).extend(objects)
    for model, objects in parts.items():
        if objects:
            _bulk_create(plan, model, objects)


def _parts_of(plan: _Plan, determination, row: doc.Determination, statutes: _Statutes) -> dict:
    statute_ids = [statutes.get(c.citation, caption=c.caption).pk for c in row.citations]
    category_ids = {code: category.pk for code, category in plan.categories.items()}
    return determination_parts(determination, row, statute_ids, category_ids)


def determination_parts(
    determination, row: doc.Determination, statute_ids: list[int], category_ids: dict[str, int]
) -> dict:
    """The rows of a determination's parts, by model, from its document form: the statute
    each citation cites is `statute_ids` (in citation order), each award's category
    `category_ids[code]`. Used by the import and by a new cycle's copy of approved goals."""
    return {
        models.Citation: [
            models.Citation(
                determination=determination,
                statute_id=statute_id,
                pinpoint=cite.pinpoint,
                quote=cite.quote,
                position=position,
            )
            for position, (cite, statute_id) in enumerate(
                zip(row.citations, statute_ids, strict=True), start=1
            )
        ],
        models.Footnote: numbered_parts(models.Footnote, determination, row.footnotes),
        models.DeterminationTable: numbered_parts(
            models.DeterminationTable, determination, row.tables
        ),
        models.Recommendation: [
            models.Recommendation(determination=determination, text=text, position=position)
            for position, text in enumerate(row.recommendations, start=1)
        ],
        models.Insight: numbered_parts(models.Insight, determination, row.insights),
        models.ExtraCreditAward: [
            models.ExtraCreditAward(
                determination=determination,
                category_id=category_ids[award.category],
                **award.model_dump(exclude={"category"}),
            )
            for award in row.extra_credit
        ],
    }


def numbered_parts(model, determination, items: list[doc.DocumentPart]) -> list:
    """Rows of `model` whose fields are named as in the document, in the document's order."""
    return [
        model(determination=determination, position=position, **item.model_dump())
        for position, item in enumerate(items, start=1)
    ]


def _write_appendix(plan: _Plan, assessment, statutes: _Statutes) -> None:
    entries = [
        models.AppendixEntry(
            assessment=assessment,
            statute=statutes.get(entry.citation, caption=entry.caption),
            position=position,
            **entry.model_dump(exclude={"citation"}),
        )
        for position, entry in enumerate(plan.document.appendix, start=1)
    ]
    if entries:
        _bulk_create(plan, models.AppendixEntry, entries)


# Export ----------------------------------------------------------------------------------


def determination_versions(row: models.GoalDetermination) -> doc.Determination:
    """A goal as export writes it: its last approved version and, where one exists, its
    newer draft, each marked with its review state and version; a goal never approved is
    its working version, marked as such."""
    live = determination_document(row)
    if row.approved_id is None:
        return live
    approved = approved_document(row.approved).model_copy(
        update={"review_state": models.ReviewState.APPROVED, "version": row.approved.version}
    )
    if row.pending_version is None:
        return approved
    return approved.model_copy(update={"draft": live})


def approved_versions(row: models.GoalDetermination) -> doc.Determination | None:
    """A goal as it leaves the building: its last approved version only (None if none)."""
    if row.approved_id is None:
        return None
    return determination_versions(row).model_copy(update={"draft": None})


def assessment_document(
    assessment: models.Assessment, *, approved_only: bool = False
) -> doc.AssessmentDocument:
    """The assessment as a document; importing it changes nothing. `approved_only` leaves
    out every draft, and the goals never approved (the cycle export, DESIGN.md §8)."""
    assessment = assessment_for_export(assessment.pk)
    jurisdiction = assessment.jurisdiction
    texts, intro = texts_versions(assessment)
    if approved_only:
        # The state texts as approved; none when they never were.
        approval = assessment.texts_approved
        texts, intro = approved_texts(approval) if approval else (doc.Texts(), "")
    appropriations = (
        Appropriation.objects.filter(bill__jurisdiction=jurisdiction)
        .select_related("bill")
        .order_by("position", "id")
    )
    versions = approved_versions if approved_only else determination_versions
    return doc.AssessmentDocument(
        jurisdiction=jurisdiction.code,
        cycle=assessment.cycle.year,
        synthetic=assessment.synthetic,
        texts=texts,
        analysis_intro_footnote=analysis_footnote_part(intro),
        pic_scores=[
            document_part(
                doc.PicScore,
                pic,
                areas=[a for a, _ in pic.area_scores],
                maxima=[m for _, m in pic.area_scores],
            )
            for pic in jurisdiction.pic_scores.all()
        ],
        statutes=[
            document_part(doc.Statute, statute)
            for statute in jurisdiction.statutes.order_by("citation")
        ],
        appropriations=[
            document_part(doc.Appropriation, row, bill=row.bill.number, session=row.bill.session)
            for row in appropriations
        ],
        appendix=[
            document_part(doc.AppendixEntry, entry, citation=entry.statute.citation, caption="")
            for entry in assessment.appendix.all()
        ],
        determinations=[
            version
            for row in assessment.determinations.all()
            if (version := versions(row)) is not None
        ],
    )


def assessment_export(*, assessment: models.Assessment, approved_only: bool = False) -> dict:
    """The assessment in the import format, as JSON-ready data; with `approved_only`, what
    reviewers approved and nothing else."""
    document = assessment_document(assessment, approved_only=approved_only)
    return document.model_dump(mode="json")
