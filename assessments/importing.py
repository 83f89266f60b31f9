"""Import and export of one assessment in the format of DESIGN.md §8.

The whole document is validated before anything is written: a file with one bad goal
changes nothing and reports every problem with its goal number. Export writes exactly
what import reads, so export → import → export is the identity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from statutes.models import Appropriation, Bill, Jurisdiction, Statute

from . import scoring
from .models import (
    AppendixEntry,
    Assessment,
    Citation,
    Cycle,
    DeterminationTable,
    ExtraCreditAward,
    Footnote,
    GoalDetermination,
    Insight,
    ProtectedInnocenceScore,
    Recommendation,
    ReviewEvent,
    ReviewState,
)
from .recompute import cycle_mark_stale

IMPORT_REASON = "Imported from file"


class ImportRejected(Exception):
    """The document has problems; nothing was written. `problems` lists them all."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems))


@dataclass
class _Plan:
    """Everything the write step needs, resolved and checked."""

    jurisdiction: Jurisdiction
    cycle: Cycle
    user: object
    data: dict
    goals: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    points: dict = field(default_factory=dict)
    award_points: dict = field(default_factory=dict)


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _text(value) -> bool:
    return isinstance(value, str)


def _list_of(value, kind) -> bool:
    return isinstance(value, list) and all(isinstance(item, kind) for item in value)


class _Validator:
    def __init__(self, data, username):
        self.data = data
        self.username = username
        self.problems: list[str] = []

    def problem(self, message: str, goal: str | None = None):
        self.problems.append(f"goal {goal}: {message}" if goal else message)

    def rows(self, container: dict, key: str, goal: str | None = None) -> list:
        """`container[key]` if it is a list (missing or null counts as empty)."""
        value = container.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(f"“{key}” must be a list.", goal)
            return []
        return value

    def texts_in(self, item: dict, keys, where: str, goal: str | None = None) -> None:
        """Optional text fields of `item` must be text when they are given."""
        for key in keys:
            if item.get(key) is not None and not _text(item[key]):
                self.problem(f"{where}: “{key}” must be text.", goal)

    def run(self) -> _Plan:
        data = self.data
        if not isinstance(data, dict):
            raise ImportRejected(["The file must hold one JSON object (an assessment)."])
        jurisdiction = self._jurisdiction(data.get("jurisdiction"))
        cycle = self._cycle(data.get("cycle"))
        user = self._user(self.username or data.get("author"))
        self._texts(data.get("texts", {}))
        self._shared_lists(data)
        plan = None
        if jurisdiction and cycle and user:
            plan = _Plan(jurisdiction=jurisdiction, cycle=cycle, user=user, data=data)
            self._determinations(plan, data.get("determinations"))
        if self.problems:
            raise ImportRejected(self.problems)
        return plan

    def _jurisdiction(self, code):
        if not _text(code) or not code.strip():
            self.problem("“jurisdiction” is missing; give a two-letter code such as MS.")
            return None
        found = Jurisdiction.objects.filter(code=code.strip().upper()).first()
        if found is None:
            self.problem(f"Unknown jurisdiction “{code}”.")
        return found

    def _cycle(self, year):
        if isinstance(year, bool) or not isinstance(year, int | str) or not str(year).isdigit():
            self.problem("“cycle” must be a year such as 2023.")
            return None
        found = Cycle.objects.select_related("framework").filter(year=int(year)).first()
        if found is None:
            self.problem(f"There is no {year} cycle.")
        return found

    def _user(self, username):
        if not username:
            self.problem("Name the user the import is attributed to (--user or “author”).")
            return None
        found = get_user_model().objects.filter(username=username).first()
        if found is None:
            self.problem(f"Unknown user “{username}”.")
        return found

    def _texts(self, texts):
        if not isinstance(texts, dict):
            self.problem("“texts” must be an object.")
            return
        if "highlights" in texts and not _list_of(texts["highlights"], str):
            self.problem("“texts.highlights” must be a list of sentences.")
        for key in ("issue_summaries", "extra_credit_summaries"):
            value = texts.get(key, {})
            if not isinstance(value, dict) or not all(_text(v) for v in value.values()):
                self.problem(f"“texts.{key}” must map keys to text.")
        for key in ("safe_harbor", "safe_harbor_summary", "historical_background"):
            if key in texts and not _text(texts[key]):
                self.problem(f"“texts.{key}” must be text.")

    def _shared_lists(self, data):
        for index, statute in enumerate(self.rows(data, "statutes"), start=1):
            if not isinstance(statute, dict) or not _text(statute.get("citation")):
                self.problem(f"statute {index}: needs a “citation”.")
            else:
                keys = ("caption", "text", "amendment_note")
                self.texts_in(statute, keys, f"statute {index}")
        for index, row in enumerate(self.rows(data, "appropriations"), start=1):
            amount = _decimal(row.get("amount")) if isinstance(row, dict) else None
            if amount is None or amount <= 0:
                self.problem(f"appropriation {index}: “amount” must be a positive number.")
            elif not all(_text(row.get(key)) for key in ("bill", "recipient", "purpose")):
                self.problem(f"appropriation {index}: needs “bill”, “recipient” and “purpose”.")
            else:
                keys = ("session", "term", "term_note")
                self.texts_in(row, keys, f"appropriation {index}")
        for index, row in enumerate(self.rows(data, "pic_scores"), start=1):
            where = f"Protected Innocence score {index}"
            if not isinstance(row, dict) or _decimal(row.get("score")) is None:
                self.problem(f"{where}: needs a numeric “score”.")
            elif not str(row.get("year", "")).isdigit():
                self.problem(f"{where}: “year” must be a year such as 2019.")
            elif not _list_of(row.get("areas"), str | int | float) or not _list_of(
                row.get("maxima"), str | int | float
            ):
                self.problem(f"{where}: “areas” and “maxima” must be lists of numbers.")
            elif len(row["areas"]) != len(row["maxima"]):
                self.problem(f"{where}: areas and maxima differ in length.")
        for index, entry in enumerate(self.rows(data, "appendix"), start=1):
            groups = {choice.value for choice in AppendixEntry.Group}
            if not isinstance(entry, dict) or entry.get("group") not in groups:
                self.problem(f"appendix entry {index}: “group” must be one of {sorted(groups)}.")
            elif not _text(entry.get("citation")):
                self.problem(f"appendix entry {index}: needs a “citation”.")
            else:
                self.texts_in(entry, ("caption", "pinpoint", "text"), f"appendix entry {index}")
                if not _list_of(entry.get("footnotes") or [], dict):
                    self.problem(f"appendix entry {index}: “footnotes” must be a list.")

    def _determinations(self, plan: _Plan, rows):
        framework = plan.cycle.framework
        goals = {
            goal.number: goal
            for goal in framework.goals.prefetch_related("extra_credit_opportunities__category")
        }
        plan.categories = {c.code: c for c in framework.extra_credit_categories.all()}
        if not isinstance(rows, list):
            self.problem("“determinations” must be a list with one entry per policy goal.")
            return
        seen = set()
        for index, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                self.problem(f"determination {index} must be an object.")
                continue
            number = str(row.get("goal", "")).strip()
            goal = goals.get(number)
            if goal is None:
                self.problem(f"determination {index}: unknown policy goal “{number}”.")
                continue
            if number in seen:
                self.problem("appears more than once.", number)
                continue
            seen.add(number)
            plan.goals[number] = goal
            self._determination(plan, goal, row)
        for number in goals:
            if number not in seen:
                self.problem("is missing; every policy goal needs a determination.", number)

    def _determination(self, plan: _Plan, goal, row):
        number = goal.number
        status = row.get("status")
        statuses = [s.value for s in scoring.Status]
        if status not in statuses:
            self.problem(f"status “{status}” is not one of {', '.join(statuses)}.", number)
            return
        raw = row.get("points")
        points = _decimal(raw)
        if raw not in (None, "") and points is None:
            self.problem(f"points “{raw}” is not a number.", number)
            return
        problem = scoring.goal_points_problem(status, points, goal.max_points)
        if problem:
            self.problem(problem, number)
        else:
            plan.points[number] = scoring.goal_points(status, points, goal.max_points)
        for key in ("narrative",):
            if key in row and not _text(row[key]):
                self.problem(f"“{key}” must be text.", number)
        if not _list_of(row.get("recommendations") or [], str):
            self.problem("recommendations must be a list of texts.", number)
        for index, citation in enumerate(self.rows(row, "citations", number), start=1):
            if not isinstance(citation, dict) or not _text(citation.get("citation")):
                self.problem(f"citation {index} needs a “citation”.", number)
            else:
                self.texts_in(
                    citation, ("caption", "pinpoint", "quote"), f"citation {index}", number
                )
        for index, note in enumerate(self.rows(row, "footnotes", number), start=1):
            if (
                not isinstance(note, dict)
                or not _text(note.get("text"))
                or not isinstance(note.get("label"), str | int)
                or isinstance(note.get("label"), bool)
                or not str(note.get("label")).strip()
            ):
                self.problem(f"footnote {index} needs a “label” and a “text”.", number)
        for index, table in enumerate(self.rows(row, "tables", number), start=1):
            columns = table.get("columns") if isinstance(table, dict) else None
            rows = table.get("rows") if isinstance(table, dict) else None
            if not _list_of(columns, str) or not _list_of(rows, list):
                self.problem(f"table {index} needs “columns” and “rows” lists.", number)
            elif any(len(cells) != len(columns) for cells in rows):
                self.problem(f"table {index}: every row needs {len(columns)} cells.", number)
            else:
                self.texts_in(table, ("title", "kind"), f"table {index}", number)
                kinds = {choice.value for choice in DeterminationTable.Kind}
                if table.get("kind") is not None and table.get("kind") not in kinds:
                    self.problem(f"table {index}: “kind” must be one of {sorted(kinds)}.", number)
        for index, insight in enumerate(self.rows(row, "insights", number), start=1):
            if not isinstance(insight, dict) or not _text(insight.get("quote")):
                self.problem(f"insight {index} needs a “quote”.", number)
            else:
                self.texts_in(insight, ("attribution",), f"insight {index}", number)
        self._awards(plan, goal, self.rows(row, "extra_credit", number))

    def _awards(self, plan: _Plan, goal, awards):
        opportunities = {o.category.code: o for o in goal.extra_credit_opportunities.all()}
        seen = set()
        for index, award in enumerate(awards, start=1):
            code = award.get("category") if isinstance(award, dict) else None
            code = code if isinstance(code, str) else None
            if code not in plan.categories:
                self.problem(
                    f"extra credit {index}: unknown category “{code}” "
                    f"(use {', '.join(sorted(plan.categories))}).",
                    goal.number,
                )
                continue
            if code in seen:
                self.problem(f"extra credit “{code}” is awarded twice.", goal.number)
                continue
            seen.add(code)
            opportunity = opportunities.get(code)
            if opportunity is None:
                self.problem(f"offers no {plan.categories[code].label} extra credit.", goal.number)
                continue
            points = _decimal(award.get("points"))
            problem = (
                "extra credit points must be a number."
                if points is None
                else scoring.award_problem(points, opportunity.max_points)
            )
            if problem:
                self.problem(problem, goal.number)
            else:
                plan.award_points[(goal.number, code)] = points
            self.texts_in(award, ("explanation",), f"extra credit “{code}”", goal.number)


def validate_assessment_document(data: dict, *, username: str | None = None) -> _Plan:
    """Check the whole document against the database; raises ImportRejected listing all."""
    return _Validator(data, username).run()


def assessment_import(
    *, data: dict, username: str | None = None, queue_recompute: bool = True
) -> Assessment:
    """Create or replace one assessment from `data`, approved and attributed to the user.

    `queue_recompute=False` is for bulk loads that recompute once at the end.
    """
    plan = validate_assessment_document(data, username=username)
    with transaction.atomic():
        assessment = _write(plan)
        cycle_mark_stale(cycle_id=plan.cycle.id, queue=queue_recompute)
    return assessment


def _position_rows(rows: Iterable) -> Iterable[tuple[int, object]]:
    return enumerate(rows or [], start=1)


def _upsert_statute(jurisdiction, citation, *, caption=None, text=None, note=None, cache=None):
    key = " ".join(citation.split())
    statute = cache.get(key)
    if statute is None:
        statute, _ = Statute.objects.get_or_create(jurisdiction=jurisdiction, citation=key)
        cache[key] = statute
    changed = False
    for attr, value in (("caption", caption), ("text", text), ("amendment_note", note)):
        if value and getattr(statute, attr) != value:
            setattr(statute, attr, value)
            changed = True
    if changed:
        statute._change_reason = IMPORT_REASON
        statute.save()
    return statute


def _write(plan: _Plan) -> Assessment:
    data, texts = plan.data, plan.data.get("texts", {}) or {}
    jurisdiction, user = plan.jurisdiction, plan.user
    statutes = {s.citation: s for s in jurisdiction.statutes.all()}
    for row in data.get("statutes", []) or []:
        _upsert_statute(
            jurisdiction,
            row["citation"],
            caption=row.get("caption"),
            text=row.get("text"),
            note=row.get("amendment_note"),
            cache=statutes,
        )
    _write_appropriations(jurisdiction, data.get("appropriations", []) or [])
    _write_pic_scores(jurisdiction, data.get("pic_scores", []) or [])

    assessment, created = Assessment.objects.get_or_create(
        jurisdiction=jurisdiction, cycle=plan.cycle
    )
    if not created:
        assessment.determinations.all().delete()
        assessment.appendix.all().delete()
        assessment.version += 1
    assessment.synthetic = bool(data.get("synthetic", False))
    assessment.highlights = list(texts.get("highlights", []))
    assessment.issue_summaries = {str(k): v for k, v in texts.get("issue_summaries", {}).items()}
    assessment.extra_credit_summaries = dict(texts.get("extra_credit_summaries", {}))
    assessment.safe_harbor_status = texts.get("safe_harbor", "")
    assessment.safe_harbor_summary = texts.get("safe_harbor_summary", "")
    assessment.historical_background = texts.get("historical_background", "")
    intro = data.get("analysis_intro_footnote") or {}
    assessment.analysis_footnote = intro.get("text", "") if isinstance(intro, dict) else ""
    assessment._change_reason = IMPORT_REASON
    assessment._history_user = user
    assessment.save()

    rows = data["determinations"]
    determinations = bulk_create_with_history(
        [
            GoalDetermination(
                assessment=assessment,
                goal=plan.goals[str(row["goal"]).strip()],
                status=row["status"],
                points=plan.points[str(row["goal"]).strip()],
                points_derived=bool(row.get("points_derived", False)),
                narrative=row.get("narrative", "") or "",
                review_state=ReviewState.APPROVED,
                approved_version=1,
                last_edited_by=user,
            )
            for row in rows
        ],
        GoalDetermination,
        default_user=user,
        default_change_reason=IMPORT_REASON,
    )
    if any(d.pk is None for d in determinations):  # backends that cannot return ids
        determinations = list(assessment.determinations.order_by("goal__ordering"))
        by_goal = {d.goal.number: d for d in determinations}
        determinations = [by_goal[str(row["goal"]).strip()] for row in rows]

    children = {
        Citation: [],
        Footnote: [],
        DeterminationTable: [],
        Recommendation: [],
        Insight: [],
        ExtraCreditAward: [],
    }
    for determination, row in zip(determinations, rows, strict=True):
        number = determination.goal.number
        for position, cite in _position_rows(row.get("citations")):
            statute = _upsert_statute(
                jurisdiction, cite["citation"], caption=cite.get("caption"), cache=statutes
            )
            children[Citation].append(
                Citation(
                    determination=determination,
                    statute=statute,
                    pinpoint=cite.get("pinpoint", "") or "",
                    quote=cite.get("quote", "") or "",
                    position=position,
                )
            )
        for position, note in _position_rows(row.get("footnotes")):
            children[Footnote].append(
                Footnote(
                    determination=determination,
                    label=str(note["label"]),
                    text=note["text"],
                    position=position,
                )
            )
        for position, table in _position_rows(row.get("tables")):
            children[DeterminationTable].append(
                DeterminationTable(
                    determination=determination,
                    kind=table.get("kind", DeterminationTable.Kind.OTHER),
                    title=table.get("title", "") or "",
                    columns=table["columns"],
                    rows=table["rows"],
                    position=position,
                )
            )
        for position, text in _position_rows(row.get("recommendations")):
            children[Recommendation].append(
                Recommendation(determination=determination, text=text, position=position)
            )
        for position, insight in _position_rows(row.get("insights")):
            children[Insight].append(
                Insight(
                    determination=determination,
                    quote=insight["quote"],
                    attribution=insight.get("attribution", "") or "",
                    position=position,
                )
            )
        for award in row.get("extra_credit", []) or []:
            children[ExtraCreditAward].append(
                ExtraCreditAward(
                    determination=determination,
                    category=plan.categories[award["category"]],
                    points=plan.award_points[(number, award["category"])],
                    points_derived=bool(award.get("points_derived", False)),
                    explanation=award.get("explanation", "") or "",
                )
            )
    for model, objects in children.items():
        if objects:
            bulk_create_with_history(
                objects, model, default_user=user, default_change_reason=IMPORT_REASON
            )

    appendix = []
    for position, entry in _position_rows(data.get("appendix")):
        statute = _upsert_statute(
            jurisdiction, entry["citation"], caption=entry.get("caption"), cache=statutes
        )
        appendix.append(
            AppendixEntry(
                assessment=assessment,
                group=entry["group"],
                statute=statute,
                pinpoint=entry.get("pinpoint", "") or "",
                text=entry.get("text", "") or "",
                footnotes=entry.get("footnotes", []) or [],
                position=position,
            )
        )
    if appendix:
        bulk_create_with_history(
            appendix, AppendixEntry, default_user=user, default_change_reason=IMPORT_REASON
        )
    ReviewEvent.objects.bulk_create(
        ReviewEvent(
            determination=determination,
            version=determination.version,
            actor=user,
            action=ReviewEvent.Action.APPROVE,
            comment=IMPORT_REASON,
        )
        for determination in determinations
    )
    return assessment


def _write_appropriations(jurisdiction, rows):
    for position, row in _position_rows(rows):
        bill, _ = Bill.objects.get_or_create(
            jurisdiction=jurisdiction, number=row["bill"], session=row.get("session", "") or ""
        )
        Appropriation.objects.update_or_create(
            bill=bill,
            recipient=row["recipient"],
            defaults={
                "amount": _decimal(row["amount"]),
                "purpose": row["purpose"],
                "term": row.get("term", "") or "",
                "term_note": row.get("term_note", "") or "",
                "position": position,
            },
        )


def _write_pic_scores(jurisdiction, rows):
    for row in rows:
        ProtectedInnocenceScore.objects.update_or_create(
            jurisdiction=jurisdiction,
            year=int(row["year"]),
            defaults={
                "score": _decimal(row["score"]),
                "grade": row.get("grade", ""),
                "area_scores": [
                    [str(score), str(maximum)]
                    for score, maximum in zip(row["areas"], row["maxima"], strict=True)
                ],
            },
        )


def _points(value: Decimal) -> str:
    return f"{value:.2f}"


def assessment_export(*, assessment: Assessment) -> dict:
    """The assessment in the import format; importing the result changes nothing."""
    from .selectors import assessment_for_export

    assessment = assessment_for_export(assessment.pk)
    jurisdiction = assessment.jurisdiction
    determinations = []
    for determination in assessment.determinations.all():
        citations = []
        for cite in determination.citations.all():
            citations.append(
                {
                    "citation": cite.statute.citation,
                    "caption": cite.statute.caption,
                    "pinpoint": cite.pinpoint,
                    "quote": cite.quote,
                }
            )
        determinations.append(
            {
                "goal": determination.goal.number,
                "status": determination.status,
                "points": _points(determination.points),
                "points_derived": determination.points_derived,
                "narrative": determination.narrative,
                "citations": citations,
                "footnotes": [
                    {"label": note.label, "text": note.text}
                    for note in determination.footnotes.all()
                ],
                "tables": [
                    {
                        "kind": table.kind,
                        "title": table.title,
                        "columns": table.columns,
                        "rows": table.rows,
                    }
                    for table in determination.tables.all()
                ],
                "recommendations": [r.text for r in determination.recommendations.all()],
                "insights": [
                    {"quote": i.quote, "attribution": i.attribution}
                    for i in determination.insights.all()
                ],
                "extra_credit": [
                    {
                        "category": award.category.code,
                        "points": _points(award.points),
                        "points_derived": award.points_derived,
                        "explanation": award.explanation,
                    }
                    for award in determination.extra_credit_awards.all()
                ],
            }
        )
    appendix = [
        {
            "group": entry.group,
            "citation": entry.statute.citation,
            "pinpoint": entry.pinpoint,
            "text": entry.text,
            "footnotes": entry.footnotes,
        }
        for entry in assessment.appendix.all()
    ]
    return {
        "jurisdiction": jurisdiction.code,
        "cycle": assessment.cycle.year,
        "synthetic": assessment.synthetic,
        "texts": {
            "highlights": assessment.highlights,
            "issue_summaries": assessment.issue_summaries,
            "extra_credit_summaries": assessment.extra_credit_summaries,
            "safe_harbor": assessment.safe_harbor_status,
            "safe_harbor_summary": assessment.safe_harbor_summary,
            "historical_background": assessment.historical_background,
        },
        "analysis_intro_footnote": (
            {"label": "1", "text": assessment.analysis_footnote}
            if assessment.analysis_footnote
            else None
        ),
        "pic_scores": [
            {
                "year": pic.year,
                "score": scoring.fmt(pic.score),
                "grade": pic.grade,
                "areas": [pair[0] for pair in pic.area_scores],
                "maxima": [pair[1] for pair in pic.area_scores],
            }
            for pic in jurisdiction.pic_scores.all()
        ],
        "statutes": [
            {
                "citation": statute.citation,
                "caption": statute.caption,
                "text": statute.text,
                "amendment_note": statute.amendment_note,
            }
            for statute in jurisdiction.statutes.order_by("citation")
        ],
        "appropriations": [
            {
                "bill": row.bill.number,
                "session": row.bill.session,
                "recipient": row.recipient,
                "amount": _points(row.amount),
                "purpose": row.purpose,
                "term": row.term,
                "term_note": row.term_note,
            }
            for row in Appropriation.objects.filter(bill__jurisdiction=jurisdiction)
            .select_related("bill")
            .order_by("position", "id")
        ],
        "appendix": appendix,
        "determinations": determinations,
    }
