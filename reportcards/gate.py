"""The publish gate: what must be fixed (blockers) and what the publisher acknowledges by
name (warnings) before a report card is published.

One function, `publish_gate`, runs every check of `CHECKS` on what the card would print
(the approved goals and texts, the stored scores). The report card page lists its result
and the publish request refuses with the same result, so the page and the server never
disagree. A feature adds a check by appending a function to `CHECKS`: it receives the
`GateInput` and returns `(blockers, warnings)`, each a list of `Finding`. Beside them the
gate lists what is pending (a newer draft or submitted version of a goal or of the state
texts): never printed, so neither a blocker nor a warning, but shown so the publisher
knows what the card leaves out.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from assessments import citation_checks
from assessments import selectors as assessment_selectors
from assessments.approvals import approved_document
from assessments.models import Assessment, ReviewState
from assessments.placeholders import ScoreFacts, missing_figures, typed_facts
from assessments.references import reference_problems
from assessments.texts import TEXT_FIELDS, printed_texts, texts_pending_version
from discussions import selectors as discussion_selectors

from . import selectors

NOTHING_CHANGED = "nothing-changed"


@dataclass(frozen=True)
class Finding:
    message: str
    link: str = ""  # where to fix it (a URL), when there is one page for it
    reason: str = ""  # names the findings that callers act on, such as NOTHING_CHANGED

    @property
    def key(self) -> str:
        """A stable name for a warning's acknowledgement checkbox: the same warning keeps
        its key from the page to the request, a different one never shares it."""
        return hashlib.sha256(self.message.encode()).hexdigest()[:16]


@dataclass
class GateInput:
    assessment: Assessment
    determinations: list
    texts: dict  # the texts the card prints (approved, else live)
    facts: ScoreFacts | None  # None before the scores were computed
    scores_current: bool
    snapshot: object = None


@dataclass
class GateResult:
    blockers: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    pending: list[Finding] = field(default_factory=list)  # shown, not printed

    @property
    def nothing_changed(self) -> bool:
        """The only blocker is that the last version was built from the same sources
        (`publish_report_card` exits with its own code for it)."""
        return bool(self.blockers) and all(
            blocker.reason == NOTHING_CHANGED for blocker in self.blockers
        )

    def unacknowledged(self, acknowledged) -> list[Finding]:
        return [warning for warning in self.warnings if warning.key not in set(acknowledged)]


Check = Callable[[GateInput], tuple[list[Finding], list[Finding]]]


def _unapproved_goals(gate: GateInput):
    unapproved = selectors.unapproved_goals(gate.assessment)
    return [Finding(f"Goal {goal} is not approved.") for goal in unapproved], []


def _unapproved_texts(gate: GateInput):
    assessment = gate.assessment
    if assessment.texts_approved_id:
        return [], []
    state = dict(ReviewState.choices)[assessment.texts_state].lower()
    return [Finding(f"The state texts were never approved (they are {state}).")], []


def _dangling_references(gate: GateInput):
    """References to a quote, table or footnote that the APPROVED goal does not have."""
    problems = []
    for determination in gate.determinations:
        if not determination.approved_id:
            continue
        goal = approved_document(determination.approved)
        problems += reference_problems(
            goal=goal.goal,
            narrative_text=goal.narrative,
            other_texts=[
                goal.marked_title,
                *(citation.quote for citation in goal.citations),
                *goal.recommendations,
                *(insight.quote for insight in goal.insights),
                *(award.explanation for award in goal.extra_credit),
            ],
            quotes=len(goal.citations),
            tables=len(goal.tables),
            footnotes=[footnote.label for footnote in goal.footnotes],
        )
    return [Finding(problem) for problem in problems], []


def _stale_scores(gate: GateInput):
    if gate.facts is None:
        return [Finding("The scores have not been computed yet; recompute the cycle.")], []
    if not gate.scores_current:
        return [
            Finding(
                "The scores are being recomputed after a change; publish once they are "
                "current (reload in a moment)."
            )
        ], []
    return [], []


def _printed_texts(texts: dict):
    """(label, text) of every printed state text."""
    labels = dict(TEXT_FIELDS)
    for name, value in texts.items():
        if isinstance(value, list):
            yield from ((f"Highlight {n}", item) for n, item in enumerate(value, start=1))
        elif isinstance(value, dict):
            yield from ((f"{labels[name]} ({key})", item) for key, item in value.items())
        else:
            yield labels.get(name, name), value


def _facts_in_texts(gate: GateInput):
    """Typed facts that contradict the computed figures block; facts without data warn;
    a placeholder without a figure blocks."""
    if gate.facts is None:
        return [], []
    blockers, warnings = [], []
    for label, text in _printed_texts(gate.texts):
        for missing in missing_figures(text, gate.facts):
            blockers.append(Finding(f"{label}: {missing}."))
        for fact in typed_facts(text, gate.facts):
            if fact.contradiction:
                blockers.append(
                    Finding(
                        f"{label} says “{fact.phrase}”, but {fact.contradiction}. Write it "
                        "with a placeholder (e.g. {rank}) or correct it."
                    )
                )
            elif fact.unchecked:
                warnings.append(
                    Finding(f"{label}: “{fact.phrase}” is unchecked ({fact.unchecked}).")
                )
    return blockers, warnings


def _statutes_changed(gate: GateInput):
    changes = assessment_selectors.statute_changes_since_approval(
        determination_ids=[d.pk for d in gate.determinations]
    )
    return [], [
        Finding(
            f"Goal {change.determination.goal.number}: statute {change.citation} changed since "
            f"its approval (version {change.approved_version} → {change.current_version}); the "
            "card prints the approved wording."
        )
        for change in changes
    ]


def _citations_at_cutoff(gate: GateInput):
    """Law enacted after the cycle's cutoff blocks, one blocker per statute; law without
    an enacted date warns, all of it in one warning (the sample's statutes carry no dates:
    one tick, not one per statute); a quote missing from the wording in force at the
    cutoff warns, per goal (assessments/citation_checks.py)."""
    cycle = gate.assessment.cycle
    report = citation_checks.citation_check(cycle, jurisdiction_id=gate.assessment.jurisdiction_id)
    code = gate.assessment.jurisdiction.code
    cutoff = citation_checks.long_date(report.cutoff)
    blockers = [
        Finding(
            f"{findings[0].message} Cited by {_goals_and_credit(findings)}. Cite the law as "
            "enacted by the cutoff.",
            reverse("statutes:detail", args=[code, statute_id]) if statute_id else "",
        )
        for statute_id, findings in _by_statute(report, citation_checks.AFTER_CUTOFF).items()
    ]
    warnings = []
    if undated := _by_statute(report, citation_checks.UNDATED):
        listed = "; ".join(
            f"{findings[0].citation} ({_goals_and_credit(findings)})"
            for findings in undated.values()
        )
        statutes, were = (
            ("statutes have", "they were") if len(undated) > 1 else ("statute has", "it was")
        )
        warnings.append(
            Finding(
                f"{len(undated)} cited {statutes} no enacted date, so nothing shows {were} law "
                f"by {cutoff}: {listed}. Record the dates in the statute library."
            )
        )
    warnings += [
        Finding(
            f"Goal {finding.goal}: {finding.message}",
            reverse("assessments:determination", args=[code, cycle.year, finding.goal]),
        )
        for finding in report.findings
        if finding.kind == citation_checks.QUOTE_NOT_IN_FORCE
    ]
    return blockers, warnings


def _by_statute(report, kind: str) -> dict:
    """The findings of one kind grouped by statute, in order of first appearance."""
    grouped = defaultdict(list)
    for finding in report.findings:
        if finding.kind == kind:
            grouped[finding.statute_id or finding.citation].append(finding)
    return grouped


def _goals_and_credit(findings) -> str:
    """Each goal once and the credit they stake, e.g. `goals 1.1, 2.3; credit at stake:
    3.75 points`."""
    credit = sum({finding.goal: finding.credit for finding in findings}.values(), start=Decimal(0))
    goals = list(dict.fromkeys(finding.goal for finding in findings))
    label = f"goal {goals[0]}" if len(goals) == 1 else f"goals {', '.join(goals)}"
    return f"{label}; credit at stake: {citation_checks.credit_text(credit)}"


def built_from(sources: dict) -> dict:
    """What a version was built from, as compared for "nothing changed": the approval of
    each goal and of the texts, and the scores (not when they were computed: a recompute
    that changes no figure changes nothing printed)."""
    scores = {k: v for k, v in (sources.get("scores") or {}).items() if k != "computed_at"}
    return {
        "approvals": sources.get("approvals") or {},
        "texts_approval": sources.get("texts_approval"),
        "scores": scores,
    }


def current_sources(gate: GateInput) -> dict:
    snapshot = gate.snapshot
    return {
        "approvals": {d.goal.number: d.approved_id for d in gate.determinations if d.approved_id},
        "texts_approval": gate.assessment.texts_approved_id,
        "scores": {
            "total": str(snapshot.total),
            "grade": snapshot.grade,
            "rank": snapshot.rank,
            "tied": snapshot.tied,
            "tier": snapshot.tier,
            "versions": {str(k): v for k, v in (snapshot.source_versions or {}).items()},
        },
    }


def _unchanged_since_last_version(gate: GateInput):
    latest = selectors.published_cards(gate.assessment)[:1]
    if not latest or gate.snapshot is None:
        return [], []
    card = latest[0]
    if built_from(card.sources or {}) == built_from(current_sources(gate)):
        return [
            Finding(
                f"Nothing changed since version {card.version}: it was built from the same "
                "approved goals, state texts and scores.",
                reason=NOTHING_CHANGED,
            )
        ], []
    return [], []


def _open_threads(gate: GateInput):
    """Open discussion threads warn, one warning each, linked to their goal (or texts):
    the publisher confirms a question left open does not change what the card says."""
    assessment = gate.assessment
    code, year = assessment.jurisdiction.code, assessment.cycle.year
    warnings = []
    for thread in discussion_selectors.open_threads(assessment):
        if thread.determination_id:
            number = thread.determination.goal.number
            subject = f"Goal {number}"
            link = reverse("assessments:determination", args=[code, year, number])
        else:
            subject, link = "The state texts", reverse("assessments:texts", args=[code, year])
        warnings.append(
            Finding(
                f"{subject}: discussion thread {thread.pk} started by "
                f"{thread.started_by.get_username()} is still open ({thread.comment_count} "
                "comment(s)); resolve it, or publish knowing it is open.",
                f"{link}#thread-{thread.pk}",
            )
        )
    return [], warnings


CHECKS: list[Check] = [
    _unapproved_goals,
    _unapproved_texts,
    _dangling_references,
    _stale_scores,
    _facts_in_texts,
    _statutes_changed,
    _citations_at_cutoff,
    _unchanged_since_last_version,
    _open_threads,
]


def gate_input(assessment: Assessment) -> GateInput:
    assessment = Assessment.objects.select_related(
        "jurisdiction", "cycle__previous", "texts_approved"
    ).get(pk=assessment.pk)
    scores = assessment_selectors.current_scores(
        assessment.cycle, code=assessment.jurisdiction.code
    )
    snapshot = scores.snapshot(assessment.jurisdiction.code)
    return GateInput(
        assessment=assessment,
        determinations=list(
            assessment.determinations.select_related("goal", "approved").order_by("goal__ordering")
        ),
        texts=printed_texts(assessment),
        facts=(
            assessment_selectors.score_facts(snapshot, scores.state, assessment.cycle)
            if snapshot
            else None
        ),
        scores_current=scores.current,
        snapshot=snapshot,
    )


def pending_versions(gate: GateInput) -> list[Finding]:
    """Newer versions waiting for review while an approved one is printed."""
    pending = []
    for determination in gate.determinations:
        if (version := determination.pending_version) is not None:
            state = determination.get_review_state_display().lower()
            pending.append(
                Finding(
                    f"Goal {determination.goal.number}: version {version} ({state}) is "
                    f"pending; the card prints approved version {determination.approved_version}."
                )
            )
    assessment = gate.assessment
    if (version := texts_pending_version(assessment)) is not None:
        state = dict(ReviewState.choices)[assessment.texts_state].lower()
        pending.append(
            Finding(
                f"The state texts: version {version} ({state}) is pending; the card prints "
                f"approved version {assessment.texts_approved.version}."
            )
        )
    return pending


def publish_gate(assessment: Assessment) -> GateResult:
    """Every check's blockers and warnings, in the order of CHECKS, and what is pending."""
    gate = gate_input(assessment)
    result = GateResult(pending=pending_versions(gate))
    for check in CHECKS:
        blockers, warnings = check(gate)
        result.blockers += blockers
        result.warnings += warnings
    return result
