"""Everything one report card prints, read with a fixed number of queries (about 17, however
many goals, citations or states there are) into plain frozen dataclasses, so the layout code
never touches the ORM and can never trigger a lazy query per goal.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from assessments import scoring, selectors
from assessments.approvals import approved_document, determination_document
from assessments.framework_document import FrameworkTexts
from assessments.models import (
    AppendixEntry,
    Assessment,
    ExtraCreditCategory,
    Framework,
    IssueArea,
    PolicyGoal,
)
from assessments.placeholders import ScoreFacts, fill_or_mark
from assessments.recompute import counted_points
from assessments.texts import printed_texts
from statutes.models import Appropriation

ZERO = Decimal("0")
# “Issue Brief 2.11” in a text, not already the words of a link.
ISSUE_BRIEF = re.compile(r"(?<!\[)Issue Brief (\d{1,2}\.\d{1,2})(?!\d|\]\()")


@dataclass(frozen=True)
class Quote:
    """A passage of a statute: quoted in a goal's analysis, or listed in the appendix with
    the footnotes printed under it."""

    citation: str
    pinpoint: str
    caption: str
    text: str
    footnotes: tuple[LabelledText, ...] = ()


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Goal:
    number: str
    text: str
    status: str
    safe_harbor: bool
    approved: bool
    narrative: str
    quotes: tuple[Quote, ...] = ()
    # The title with footnote marks ([^4]) where the card prints them; "" prints `text`.
    marked_title: str = ""
    issue_brief_url: str = ""  # the framework's Issue Brief on this goal, if it has one
    tables: tuple[Table, ...] = ()
    footnotes: tuple[LabelledText, ...] = ()
    recommendations: tuple[str, ...] = ()
    insights: tuple[LabelledText, ...] = ()  # labelled with who gave them
    awards: tuple[LabelledText, ...] = ()  # labelled with their category
    # Not printed per goal, but the issue scores add them up: the open data and the API
    # carry them, so a published version keeps the points it counted.
    points: Decimal = ZERO
    max_points: Decimal = ZERO

    @property
    def status_label(self) -> str:
        return scoring.Status(self.status).label


def heading_form(title: str) -> str:
    """An issue area's name as the published report sets it in headings and in the
    framework's list ("Prevention & Training"); its table row keeps the name as written."""
    return title.replace(" and ", " & ")


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    short_title: str
    score: Decimal
    max: Decimal
    grade: str
    summary: str
    goals: tuple[Goal, ...]

    @property
    def heading(self) -> str:
        return heading_form(self.title)


@dataclass(frozen=True)
class ExtraCreditLine:
    code: str
    label: str
    points: Decimal
    summary: str


@dataclass(frozen=True)
class PicScore:
    year: int
    score: Decimal
    grade: str
    areas: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AppropriationRow:
    bill: str
    session: str
    recipient: str
    amount: Decimal
    purpose: str
    term: str
    term_note: str
    # The label of the footnote marked after the amount, "" for none. Last and defaulted:
    # the cards stored before it (reportcards/card_document.py) have no such key.
    amount_footnote: str = ""


# The model fields of an AppropriationRow, in the order of its fields.
APPROPRIATION_FIELDS = (
    "bill__number",
    "bill__session",
    "recipient",
    "amount",
    "purpose",
    "term",
    "term_note",
    "amount_footnote",
)


@dataclass(frozen=True)
class AppendixGroup:
    title: str
    items: tuple[Quote, ...]


@dataclass(frozen=True)
class FrameworkFacts:
    issue_titles: tuple[str, ...]
    goal_count: int
    points_per_goal: Decimal | None  # None when goals are not all worth the same
    base_max: Decimal
    extra_credit_cap: Decimal
    rules: scoring.Rules
    name: str
    illustrative: bool  # an example framework whose texts are placeholders
    # The wording that belongs to the framework's edition (history, resources, calls to
    # action): read here so that every edition of the report card prints the same.
    texts: FrameworkTexts

    @property
    def total_max(self) -> Decimal:
        return self.base_max + self.extra_credit_cap


@dataclass(frozen=True)
class Edition:
    """Which published version a PDF is, and when it was published."""

    version: int
    published_on: datetime.date
    errata: str = ""  # a correction after the cycle's release: what changed and why


@dataclass(frozen=True)
class ReportCard:
    year: int
    jurisdiction: str
    code: str
    synthetic: bool
    complete: bool  # every goal has an approved determination
    as_of: datetime.date
    framework: FrameworkFacts
    issues: tuple[Issue, ...]
    extra_credit: tuple[ExtraCreditLine, ...]
    total: Decimal
    grade: str
    rank: int
    tied: bool
    tier: int
    jurisdiction_count: int
    highlights: tuple[str, ...]
    safe_harbor_status: str
    safe_harbor_summary: str
    historical_background: str
    analysis_footnote: str
    pic_scores: tuple[PicScore, ...]
    appropriations: tuple[AppropriationRow, ...]
    appendix: tuple[AppendixGroup, ...]
    sources: CardSources | None = None
    edition: Edition | None = None  # None for a preview
    change: Decimal | None = None  # the total against the previous cycle's; None: no cycle

    @property
    def extra_credit_total(self) -> Decimal:
        """The extra credit the total counts: the categories' sum, capped."""
        return self.total - sum((issue.score for issue in self.issues), ZERO)

    @property
    def goals(self) -> tuple[Goal, ...]:
        return tuple(goal for issue in self.issues for goal in issue.goals)

    def with_issue_brief_links(self, text: str) -> str:
        """`text` (narrative format) with each “Issue Brief 2.2” it names made a link to
        that goal's Issue Brief, where the framework gives one."""
        urls = {goal.number: goal.issue_brief_url for goal in self.goals if goal.issue_brief_url}

        def linked(found: re.Match) -> str:
            url = urls.get(found.group(1))
            return f"[{found.group(0)}]({url})" if url else found.group(0)

        return ISSUE_BRIEF.sub(linked, text)


@dataclass(frozen=True)
class CardSources:
    """What a card was built from: the approval of each goal ({goal: approval id}), their
    versions, and the stored scores with the goal versions they were computed from."""

    approvals: dict[str, int]
    approved_versions: dict[str, int]
    score_versions: dict[str, int]
    scores: dict
    texts_approval: int | None = None

    @property
    def consistent(self) -> bool:
        """The printed scores were computed from exactly the approved versions printed."""
        return self.approved_versions == self.score_versions

    def as_json(self) -> dict:
        return {
            "approvals": self.approvals,
            "texts_approval": self.texts_approval,
            "scores": {**self.scores, "versions": self.score_versions},
        }


@dataclass(frozen=True)
class LabelledText:
    """A text and its label: a footnote and its marker, an insight from the field and who
    gave it, an extra-credit award and its category."""

    label: str
    text: str


class ScoresNotComputed(LookupError):
    """The cycle has no stored scores for the jurisdiction yet; the message says so."""


def _snapshot(cycle, code):
    """The stored scores, as they are: reading never recomputes (see
    assessments.selectors.current_scores). Whoever renders for print makes them current
    first (`scores_make_current`, in the background job or the command)."""
    scores = selectors.current_scores(cycle, code=code)
    snapshot = scores.snapshot(code)
    if snapshot is None:
        raise ScoresNotComputed(
            f"The {cycle.year} scores of {code} have not been computed yet; run the "
            "recompute and try again."
        )
    return snapshot, scores.state


def _goal(policy_goal, determination, labels: dict[str, str]) -> Goal:
    """The goal as approved; a goal never approved prints its live rows, marked as not
    approved (the DRAFT pages of a preview)."""
    if determination is None:
        return Goal(
            number=policy_goal.number,
            text=policy_goal.text,
            status=str(scoring.Status.NOT_MET),
            safe_harbor=policy_goal.safe_harbor,
            issue_brief_url=policy_goal.issue_brief_url,
            approved=False,
            narrative="",
            max_points=policy_goal.max_points,
        )
    approval = determination.approved
    document = approved_document(approval) if approval else determination_document(determination)
    return Goal(
        number=policy_goal.number,
        text=policy_goal.text,
        status=str(document.status),
        safe_harbor=policy_goal.safe_harbor,
        issue_brief_url=policy_goal.issue_brief_url,
        approved=approval is not None,
        narrative=document.narrative,
        marked_title=document.marked_title,
        quotes=tuple(Quote(c.citation, c.pinpoint, c.caption, c.quote) for c in document.citations),
        tables=tuple(
            Table(t.title, tuple(t.columns), tuple(tuple(row) for row in t.rows))
            for t in document.tables
        ),
        footnotes=tuple(LabelledText(f.label, f.text) for f in document.footnotes),
        recommendations=tuple(document.recommendations),
        insights=tuple(LabelledText(i.attribution, i.quote) for i in document.insights),
        awards=tuple(
            LabelledText(labels.get(a.category, a.category), a.explanation)
            for a in document.extra_credit
        ),
        points=_earned(document, policy_goal.max_points),
        max_points=policy_goal.max_points,
    )


def _earned(document, max_points: Decimal) -> Decimal:
    """The points the goal counts, as the recompute counts them; a draft whose points do
    not fit its status yet (a preview) earns nothing."""
    points = counted_points(document.status, document.points)
    if scoring.goal_points_problem(document.status, points, max_points):
        return ZERO
    return scoring.goal_points(document.status, points, max_points)


def _framework(framework_id: int):
    framework = Framework.objects.get(pk=framework_id)
    areas = list(IssueArea.objects.filter(framework_id=framework_id).order_by("number"))
    goals = list(PolicyGoal.objects.filter(framework_id=framework_id).order_by("ordering"))
    categories = list(
        ExtraCreditCategory.objects.filter(framework_id=framework_id).order_by("position")
    )
    maxima = {goal.max_points for goal in goals}
    facts = FrameworkFacts(
        issue_titles=tuple(area.title for area in areas),
        goal_count=len(goals),
        points_per_goal=maxima.pop() if len(maxima) == 1 else None,
        base_max=sum((goal.max_points for goal in goals), ZERO),
        extra_credit_cap=framework.extra_credit_cap,
        rules=framework.rules(),
        name=framework.name,
        illustrative=framework.illustrative,
        texts=FrameworkTexts.model_validate(framework.texts),
    )
    return facts, areas, goals, categories


def _issues(assessment, facts, areas, goals, categories, snapshot, texts) -> tuple[Issue, ...]:
    determinations = {d.goal_id: d for d in assessment.determinations.all()}
    labels = {category.code: category.label for category in categories}
    scores = {int(row["number"]): row for row in snapshot.issues}
    issues = []
    for area in areas:
        area_goals = tuple(
            _goal(goal, determinations.get(goal.id), labels)
            for goal in goals
            if goal.issue_area_id == area.id
        )
        maximum = sum((g.max_points for g in goals if g.issue_area_id == area.id), ZERO)
        row = scores.get(area.number, {})
        score = Decimal(row.get("score", "0"))
        issues.append(
            Issue(
                number=area.number,
                title=area.title,
                short_title=area.short_title,
                score=score,
                max=Decimal(row.get("max", maximum)),
                grade=row.get("grade")
                or scoring.grade(score, maximum or Decimal("1"), facts.rules.scale),
                summary=str(texts["issue_summaries"].get(str(area.number), "")),
                goals=area_goals,
            )
        )
    return tuple(issues)


def _filled(texts: dict, facts: ScoreFacts) -> dict:
    """The texts with their placeholders filled from the printed scores (a placeholder
    without a figure stays as typed: the publish gate refuses it)."""

    def filled(value):
        if isinstance(value, str):
            return fill_or_mark(value, facts)
        if isinstance(value, list):
            return [filled(item) for item in value]
        if isinstance(value, dict):
            return {key: filled(item) for key, item in value.items()}
        return value

    return {name: filled(value) for name, value in texts.items()}


def _appendix(assessment) -> tuple[AppendixGroup, ...]:
    # Printed in the order the choices are declared (trafficking, then CSEC), not the
    # alphabetical order of their codes.
    groups = []
    entries = list(assessment.appendix.all())
    for value, title in AppendixEntry.Group.choices:
        items = tuple(
            Quote(
                citation=entry.statute.citation,
                pinpoint=entry.pinpoint,
                caption=entry.statute.caption,
                text=entry.text,
                footnotes=tuple(
                    LabelledText(str(note.get("label", "")), str(note.get("text", "")))
                    for note in entry.footnotes
                    if isinstance(note, dict)
                ),
            )
            for entry in sorted(entries, key=lambda e: (e.position, e.id))
            if entry.group == value
        )
        if items:
            groups.append(AppendixGroup(title, items))
    return tuple(groups)


def _appropriations(jurisdiction_id: int, year: int) -> tuple[AppropriationRow, ...]:
    # Bills carry their session as text ("2023 Legislative Session"); the cycle's
    # appropriations are those of sessions named with its year.
    rows = (
        Appropriation.objects.filter(
            bill__jurisdiction_id=jurisdiction_id, bill__session__contains=str(year)
        )
        .order_by("position", "id")
        .values_list(*APPROPRIATION_FIELDS)
    )
    return tuple(AppropriationRow(*row) for row in rows)


def _sources(assessment, snapshot) -> CardSources:
    approvals = {
        d.goal.number: (d.approved_id, d.approved.version)
        for d in assessment.determinations.all()
        if d.approved_id
    }
    return CardSources(
        texts_approval=assessment.texts_approved_id,
        approvals={number: pk for number, (pk, _) in approvals.items()},
        approved_versions={number: version for number, (_, version) in approvals.items()},
        score_versions={str(k): v for k, v in (snapshot.source_versions or {}).items()},
        scores={
            "total": str(snapshot.total),
            "grade": snapshot.grade,
            "rank": snapshot.rank,
            "tied": snapshot.tied,
            "tier": snapshot.tier,
            "computed_at": snapshot.computed_at.isoformat(),
        },
    )


def report_card_data(assessment: Assessment) -> ReportCard:
    """Everything the card prints, read in one transaction: goals as approved (frozen
    approvals, with the statute wording they were approved with) and the stored scores."""
    with transaction.atomic():
        return _report_card_data(assessment)


def _report_card_data(assessment: Assessment) -> ReportCard:
    assessment = selectors.assessment_for_export(assessment.pk)
    cycle, jurisdiction = assessment.cycle, assessment.jurisdiction
    facts, areas, goals, categories = _framework(cycle.framework_id)
    snapshot, state = _snapshot(cycle, jurisdiction.code)
    figures = selectors.score_facts(snapshot, state, cycle)
    texts = _filled(printed_texts(assessment), figures)
    issues = _issues(assessment, facts, areas, goals, categories, snapshot, texts)
    extra = snapshot.extra_credit
    summaries = texts["extra_credit_summaries"]
    return ReportCard(
        year=cycle.year,
        jurisdiction=jurisdiction.name,
        code=jurisdiction.code,
        synthetic=assessment.synthetic,
        complete=all(goal.approved for issue in issues for goal in issue.goals),
        as_of=cycle.legislative_cutoff,
        framework=facts,
        issues=issues,
        extra_credit=tuple(
            ExtraCreditLine(
                code=category.code,
                label=category.label,
                points=Decimal(extra.get(category.code, "0")),
                summary=str(summaries.get(category.code, "")),
            )
            for category in categories
        ),
        total=snapshot.total,
        grade=snapshot.grade,
        rank=snapshot.rank,
        tied=snapshot.tied,
        tier=snapshot.tier,
        change=snapshot.change,
        jurisdiction_count=state.jurisdiction_count if state else 0,
        highlights=tuple(str(item) for item in texts["highlights"]),
        safe_harbor_status=texts["safe_harbor"],
        safe_harbor_summary=texts["safe_harbor_summary"],
        historical_background=texts["historical_background"],
        analysis_footnote=texts["analysis_footnote"],
        pic_scores=tuple(
            PicScore(
                year=pic.year,
                score=pic.score,
                grade=pic.grade,
                areas=tuple(
                    (str(pair[0]), str(pair[1]))
                    for pair in pic.area_scores
                    if isinstance(pair, list | tuple) and len(pair) == 2
                ),
            )
            for pic in sorted(assessment.jurisdiction.pic_scores.all(), key=lambda p: -p.year)
        ),
        appropriations=_appropriations(jurisdiction.id, cycle.year),
        appendix=_appendix(assessment),
        sources=_sources(assessment, snapshot),
    )
