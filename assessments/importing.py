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
from simple_history.utils import bulk_create_with_history

from core import narrative
from statutes.models import Appropriation, Bill, Jurisdiction, Statute

from . import document as doc
from . import models, scoring
from .approvals import approvals_record, determination_document, document_part
from .recompute import cycle_mark_stale
from .references import reference_problems
from .selectors import assessment_for_export

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
            yield from _text_problems(row)
        seen.add(number)
    for number in plan.goals:
        if number not in seen:
            yield f"goal {number}: is missing; every policy goal needs a determination."


def _text_problems(row: doc.Determination) -> Iterator[str]:
    """Texts outside the narrative format, and references to nothing: imports are approved."""
    texts = {
        "narrative": row.narrative,
        **{f"citation {i} quote": c.quote for i, c in enumerate(row.citations, start=1)},
        **{f"footnote {f.label}": f.text for f in row.footnotes},
        **{f"recommendation {i}": text for i, text in enumerate(row.recommendations, start=1)},
        **{f"insight {i}": insight.quote for i, insight in enumerate(row.insights, start=1)},
        **{f"extra credit {a.category}": a.explanation for a in row.extra_credit},
    }
    for name, text in texts.items():
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
    *, data: Any, username: str | None = None, queue_recompute: bool = True
) -> models.Assessment:
    """Create or replace one assessment from `data`, approved and attributed to the user.

    `queue_recompute=False` is for bulk loads that recompute once at the end.
    """
    plan = validate_assessment_document(data, username=username)
    with transaction.atomic():
        assessment = _write(plan)
        cycle_mark_stale(cycle_id=plan.cycle.id, queue=queue_recompute)
    return assessment


# Writing ---------------------------------------------------------------------------------


class _Statutes:
    """The jurisdiction's statutes by citation: a citation not known yet is created, and
    texts given for a statute update it."""

    def __init__(self, jurisdiction: Jurisdiction):
        self.jurisdiction = jurisdiction
        self.by_citation = {s.citation: s for s in jurisdiction.statutes.all()}

    def get(self, citation: str, **texts: str) -> Statute:
        statute = self.by_citation.get(citation)
        if statute is None:
            statute, _ = Statute.objects.get_or_create(
                jurisdiction=self.jurisdiction, citation=citation
            )
            self.by_citation[citation] = statute
        changed = {
            name: text for name, text in texts.items() if text and text != getattr(statute, name)
        }
        if changed:
            for name, text in changed.items():
                setattr(statute, name, text)
            statute.version += 1  # an editor with the older version open gets a conflict
            statute._change_reason = IMPORT_REASON
            statute.save()
        return statute


def _write(plan: _Plan) -> models.Assessment:
    """The jurisdiction's statutes, appropriations and PIC scores, then the assessment with
    its goals, approved by the importing user."""
    document = plan.document
    statutes = _Statutes(plan.jurisdiction)
    for row in document.statutes:
        statutes.get(row.citation, **row.model_dump(exclude={"citation"}))
    _write_appropriations(plan.jurisdiction, document.appropriations)
    _write_pic_scores(plan.jurisdiction, document.pic_scores)
    assessment = _write_assessment(plan)
    determinations = _write_determinations(plan, assessment)
    _write_parts(plan, determinations, statutes)
    _write_appendix(plan, assessment, statutes)
    approvals_record(determinations, user=plan.user)
    models.GoalDetermination.objects.bulk_update(determinations, ["approved"])
    models.ReviewEvent.objects.bulk_create(
        models.ReviewEvent(
            determination=determination,
            version=determination.version,
            actor=plan.user,
            action=models.ReviewEvent.Action.APPROVE,
            comment=IMPORT_REASON,
        )
        for determination in determinations
    )
    return assessment


def _write_appropriations(jurisdiction: Jurisdiction, rows: list[doc.Appropriation]) -> None:
    for position, row in enumerate(rows, start=1):
        bill, _ = Bill.objects.get_or_create(
            jurisdiction=jurisdiction, number=row.bill, session=row.session
        )
        Appropriation.objects.update_or_create(
            bill=bill,
            recipient=row.recipient,
            defaults={
                **row.model_dump(include={"amount", "purpose", "term", "term_note"}),
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


def _write_assessment(plan: _Plan) -> models.Assessment:
    """The assessment with the document's texts; an existing one loses its goals."""
    assessment, created = models.Assessment.objects.get_or_create(
        jurisdiction=plan.jurisdiction, cycle=plan.cycle
    )
    if not created:
        assessment.determinations.all().delete()
        assessment.appendix.all().delete()
        assessment.version += 1
    document, texts = plan.document, plan.document.texts
    intro = document.analysis_intro_footnote
    assessment.synthetic = document.synthetic
    assessment.highlights = texts.highlights
    assessment.issue_summaries = texts.issue_summaries
    assessment.extra_credit_summaries = texts.extra_credit_summaries
    assessment.safe_harbor_status = texts.safe_harbor
    assessment.safe_harbor_summary = texts.safe_harbor_summary
    assessment.historical_background = texts.historical_background
    assessment.analysis_footnote = intro.text if intro else ""
    assessment._change_reason = IMPORT_REASON
    assessment._history_user = plan.user
    assessment.save()
    return assessment


def _write_determinations(plan: _Plan, assessment) -> list[models.GoalDetermination]:
    """The document's determinations, approved, in the document's order."""
    determinations = []
    for row in plan.document.determinations:
        goal = plan.goals[row.goal]
        determinations.append(
            models.GoalDetermination(
                assessment=assessment,
                goal=goal,
                status=row.status,
                points=scoring.goal_points(row.status, row.points, goal.max_points),
                points_derived=row.points_derived,
                narrative=row.narrative,
                review_state=models.ReviewState.APPROVED,
                last_edited_by=plan.user,
            )
        )
    return _bulk_create(plan, models.GoalDetermination, determinations)


def _bulk_create(plan: _Plan, model, rows: list) -> list:
    return bulk_create_with_history(
        rows, model, default_user=plan.user, default_change_reason=IMPORT_REASON
    )


def _write_parts(plan: _Plan, determinations, statutes: _Statutes) -> None:
    """Citations, footnotes, tables, recommendations, insights and awards, in one insert
    per kind for the whole assessment."""
    parts: dict[type, list] = {}
    for determination, row in zip(determinations, plan.document.determinations, strict=True):
        for model, objects in _parts_of(plan, determination, row, statutes).items():
            parts.setdefault(model, []).extend(objects)
    for model, objects in parts.items():
        if objects:
            _bulk_create(plan, model, objects)


def _parts_of(plan: _Plan, determination, row: doc.Determination, statutes: _Statutes) -> dict:
    return {
        models.Citation: [
            models.Citation(
                determination=determination,
                statute=statutes.get(cite.citation, caption=cite.caption),
                pinpoint=cite.pinpoint,
                quote=cite.quote,
                position=position,
            )
            for position, cite in enumerate(row.citations, start=1)
        ],
        models.Footnote: _numbered(models.Footnote, determination, row.footnotes),
        models.DeterminationTable: _numbered(models.DeterminationTable, determination, row.tables),
        models.Recommendation: [
            models.Recommendation(determination=determination, text=text, position=position)
            for position, text in enumerate(row.recommendations, start=1)
        ],
        models.Insight: _numbered(models.Insight, determination, row.insights),
        models.ExtraCreditAward: [
            models.ExtraCreditAward(
                determination=determination,
                category=plan.categories[award.category],
                **award.model_dump(exclude={"category"}),
            )
            for award in row.extra_credit
        ],
    }


def _numbered(model, determination, items: list[doc.DocumentPart]) -> list:
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


def assessment_document(assessment: models.Assessment) -> doc.AssessmentDocument:
    """The assessment as a document; importing it changes nothing."""
    assessment = assessment_for_export(assessment.pk)
    jurisdiction = assessment.jurisdiction
    intro = assessment.analysis_footnote
    appropriations = (
        Appropriation.objects.filter(bill__jurisdiction=jurisdiction)
        .select_related("bill")
        .order_by("position", "id")
    )
    return doc.AssessmentDocument(
        jurisdiction=jurisdiction.code,
        cycle=assessment.cycle.year,
        synthetic=assessment.synthetic,
        texts=document_part(doc.Texts, assessment, safe_harbor=assessment.safe_harbor_status),
        analysis_intro_footnote=doc.Footnote(label="1", text=intro) if intro else None,
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
        determinations=[determination_document(row) for row in assessment.determinations.all()],
    )


def assessment_export(*, assessment: models.Assessment) -> dict:
    """The assessment in the import format, as JSON-ready data."""
    return assessment_document(assessment).model_dump(mode="json")
