"""Citations against the cycle's legislative cutoff: a cycle grades only the law enacted by
its cutoff date ("legislation enacted as of July 1, 2023").

`citation_check` reads, for every goal of a cycle (or of one assessment), the citations of
the version that counts (the approved version; a goal never approved: its draft) and lists:

- `after_cutoff` (a blocker): the cited wording was enacted after the cutoff;
- `undated` (a warning the publisher acknowledges): the cited wording has no enacted date,
  so nothing says it was law by the cutoff;
- `quote_not_in_force` (a warning): the quote is not in the statute's text as it read in the
  version in force at the cutoff (both whitespace-normalised, footnote markers dropped), or
  no version was in force (a citation after the cutoff already blocks: its quote is not
  checked);

and every goal whose credit (points above 0) depends on an `after_cutoff` or `undated`
citation. Pure and read-only: a fixed number of queries whatever the number of citations,
no write. The publish gate (reportcards/gate.py), the assessment overview and
`manage.py check_citations` show its result.

Which version of a statute: an approval keeps the statute version it cited (its
`document`'s `statute.version`), a draft cites the current one; the enacted date is that
version's (from the statute's history). The version in force at the cutoff is the newest
version whose effective date (else its enacted date) is on or before the cutoff, or which
carries neither date (an undated version is taken as in force, and warned about as undated).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from statutes.models import Statute

from .models import Citation, Cycle, GoalDetermination
from .scoring import fmt

AFTER_CUTOFF = "after_cutoff"
UNDATED = "undated"
QUOTE_NOT_IN_FORCE = "quote_not_in_force"
BLOCKING_KINDS = frozenset({AFTER_CUTOFF})
# The kinds that put a goal's credit in doubt (a quote elsewhere in the law does not).
CREDIT_KINDS = frozenset({AFTER_CUTOFF, UNDATED})

# A footnote marker in a quote ("minor.[^12]") is the report's, not the law's.
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]{1,8}\]")


@dataclass(frozen=True)
class StatuteVersion:
    """One version of a statute as its history stored it."""

    statute_id: int
    version: int
    citation: str
    text: str
    enacted_date: datetime.date | None
    effective_date: datetime.date | None

    def in_force_on(self, day: datetime.date) -> bool:
        start = self.effective_date or self.enacted_date
        return start is None or start <= day


@dataclass(frozen=True)
class CitationFinding:
    kind: str
    jurisdiction: str  # postal code
    goal: str
    citation: str  # the statute's citation as cited
    pinpoint: str
    statute_id: int | None
    statute_version: int | None
    enacted_date: datetime.date | None
    counted: str  # "approved" or "draft": which version of the goal cites it
    credit: Decimal  # the goal's points in that version
    message: str

    @property
    def blocker(self) -> bool:
        return self.kind in BLOCKING_KINDS

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "severity": "blocker" if self.blocker else "warning",
            "jurisdiction": self.jurisdiction,
            "goal": self.goal,
            "citation": self.citation,
            "pinpoint": self.pinpoint,
            "statute_id": self.statute_id,
            "statute_version": self.statute_version,
            "enacted_date": self.enacted_date.isoformat() if self.enacted_date else None,
            "counted": self.counted,
            "credit": f"{self.credit:.2f}",
            "message": self.message,
        }


@dataclass(frozen=True)
class GoalAtRisk:
    """A goal with credit that rests on a citation after the cutoff or without a date."""

    jurisdiction: str
    goal: str
    status: str
    points: Decimal
    kinds: tuple[str, ...]
    citations: tuple[str, ...]

    def as_json(self) -> dict:
        return {
            "jurisdiction": self.jurisdiction,
            "goal": self.goal,
            "status": self.status,
            "points": f"{self.points:.2f}",
            "kinds": list(self.kinds),
            "citations": list(self.citations),
        }


@dataclass
class CitationReport:
    year: int
    cutoff: datetime.date
    citations_checked: int = 0
    findings: list[CitationFinding] = field(default_factory=list)
    goals_at_risk: list[GoalAtRisk] = field(default_factory=list)

    @property
    def blockers(self) -> list[CitationFinding]:
        return [finding for finding in self.findings if finding.blocker]

    @property
    def warnings(self) -> list[CitationFinding]:
        return [finding for finding in self.findings if not finding.blocker]

    def as_json(self) -> dict:
        return {
            "cycle": self.year,
            "cutoff": self.cutoff.isoformat(),
            "citations_checked": self.citations_checked,
            "blockers": len(self.blockers),
            "warnings": len(self.warnings),
            "findings": [finding.as_json() for finding in self.findings],
            "goals_at_risk": [goal.as_json() for goal in self.goals_at_risk],
        }


@dataclass(frozen=True)
class _Cited:
    """One citation of the version of a goal that counts."""

    determination: GoalDetermination
    statute_id: int | None
    statute_version: int | None  # None: the statute's current version
    citation: str
    pinpoint: str
    quote: str

    @property
    def counted(self) -> str:
        return "approved" if self.determination.approved_id else "draft"

    @property
    def status(self) -> str:
        approved = self.determination.approved
        return approved.status if approved else self.determination.status

    @property
    def credit(self) -> Decimal:
        approved = self.determination.approved
        return approved.points if approved else self.determination.points


def normalised(text: str) -> str:
    """Text compared word for word: footnote markers dropped, runs of whitespace one space."""
    return " ".join(_FOOTNOTE_MARK.sub("", text or "").split())


def long_date(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def citation_check(cycle: Cycle, *, jurisdiction_id: int | None = None) -> CitationReport:
    """Every finding of the cycle's citations (of one jurisdiction's assessment when
    `jurisdiction_id` is given), in jurisdiction and goal order."""
    determinations = _determinations(cycle, jurisdiction_id)
    cited = _citations(determinations)
    statutes = _statutes({c.statute_id for c in cited if c.statute_id})
    versions = _versions(statutes.keys())
    report = CitationReport(year=cycle.year, cutoff=cycle.legislative_cutoff)
    report.citations_checked = len(cited)
    for citation in cited:
        report.findings += _findings(citation, statutes, versions, cycle.legislative_cutoff)
    report.goals_at_risk = _goals_at_risk(cited, report.findings)
    return report


def _determinations(cycle: Cycle, jurisdiction_id: int | None) -> list[GoalDetermination]:
    rows = GoalDetermination.objects.filter(assessment__cycle=cycle)
    if jurisdiction_id is not None:
        rows = rows.filter(assessment__jurisdiction_id=jurisdiction_id)
    return list(
        rows.select_related("goal", "approved", "assessment__jurisdiction").order_by(
            "assessment__jurisdiction__code", "goal__ordering"
        )
    )


def _citations(determinations: list[GoalDetermination]) -> list[_Cited]:
    """The citations of each goal's counted version: its approval's document, or for a
    goal never approved its live rows (one query for all of those)."""
    drafts = [d.pk for d in determinations if not d.approved_id]
    live = defaultdict(list)
    if drafts:
        for row in Citation.objects.filter(determination_id__in=drafts).select_related("statute"):
            live[row.determination_id].append(
                (row.statute_id, None, row.statute.citation, row.pinpoint, row.quote)
            )
    cited = []
    for determination in determinations:
        if determination.approved_id:
            document = determination.approved.document
            parts = [_approved_part(c) for c in document.get("citations", [])]
        else:
            parts = live[determination.pk]
        cited += [_Cited(determination, *part) for part in parts]
    return cited


def _approved_part(citation: dict) -> tuple:
    statute = citation.get("statute") or {}
    return (
        statute.get("id"),
        statute.get("version"),
        citation.get("citation", ""),
        citation.get("pinpoint", ""),
        citation.get("quote", ""),
    )


def _statutes(ids: set[int]) -> dict[int, Statute]:
    return {statute.pk: statute for statute in Statute.objects.filter(pk__in=ids)}


def _versions(ids) -> dict[int, list[StatuteVersion]]:
    """Each statute's versions from its history, oldest first; of several records of one
    version, the last one."""
    by_statute: dict[int, dict[int, StatuteVersion]] = defaultdict(dict)
    records = (
        Statute.history.filter(id__in=list(ids))
        .order_by("id", "history_id")
        .values_list("id", "version", "citation", "text", "enacted_date", "effective_date")
    )
    for record in records:
        by_statute[record[0]][record[1]] = StatuteVersion(*record)
    return {
        pk: [versions[number] for number in sorted(versions)] for pk, versions in by_statute.items()
    }


def _current(statute: Statute) -> StatuteVersion:
    return StatuteVersion(
        statute.pk,
        statute.version,
        statute.citation,
        statute.text,
        statute.enacted_date,
        statute.effective_date,
    )


def _cited_version(citation: _Cited, statutes, versions) -> StatuteVersion | None:
    statute = statutes.get(citation.statute_id)
    if statute is None:
        return None
    known = {version.version: version for version in versions.get(statute.pk, [])}
    number = citation.statute_version or statute.version
    return known.get(number) or _current(statute)


def _in_force(statute_id, statutes, versions, cutoff) -> StatuteVersion | None:
    history = versions.get(statute_id) or (
        [_current(statutes[statute_id])] if statute_id in statutes else []
    )
    in_force = [version for version in history if version.in_force_on(cutoff)]
    return in_force[-1] if in_force else None


def _findings(citation: _Cited, statutes, versions, cutoff) -> list[CitationFinding]:
    cited = _cited_version(citation, statutes, versions)
    enacted = cited.enacted_date if cited else None
    name = citation.citation or (cited.citation if cited else "a deleted statute")
    found = []

    def finding(kind: str, message: str) -> CitationFinding:
        return CitationFinding(
            kind=kind,
            jurisdiction=citation.determination.assessment.jurisdiction.code,
            goal=citation.determination.goal.number,
            citation=name,
            pinpoint=citation.pinpoint,
            statute_id=citation.statute_id,
            statute_version=cited.version if cited else None,
            enacted_date=enacted,
            counted=citation.counted,
            credit=citation.credit,
            message=message,
        )

    if enacted is not None and enacted > cutoff:
        # Law the cycle does not grade: that blocks, and its quote needs no second word.
        message = f"{name} was enacted on {long_date(enacted)}, after the cutoff "
        return [finding(AFTER_CUTOFF, f"{message}({long_date(cutoff)}).")]
    if enacted is None:
        found.append(finding(UNDATED, f"{name} has no enacted date."))
    if citation.quote.strip() and (problem := _quote_problem(citation, statutes, versions, cutoff)):
        found.append(finding(QUOTE_NOT_IN_FORCE, problem))
    return found


def _quote_problem(citation: _Cited, statutes, versions, cutoff) -> str | None:
    in_force = _in_force(citation.statute_id, statutes, versions, cutoff)
    if in_force is None:
        return (
            f"No version of {citation.citation} was in force on {long_date(cutoff)}, so its "
            "quote cannot be checked."
        )
    if normalised(citation.quote) not in normalised(in_force.text):
        return (
            f"The quote from {citation.citation} is not in its text as in force on "
            f"{long_date(cutoff)} (version {in_force.version})."
        )
    return None


def _goals_at_risk(cited: list[_Cited], findings: list[CitationFinding]) -> list[GoalAtRisk]:
    doubtful = defaultdict(list)
    for finding in findings:
        if finding.kind in CREDIT_KINDS and finding.credit > 0:
            doubtful[(finding.jurisdiction, finding.goal)].append(finding)
    goals = {}
    for citation in cited:
        determination = citation.determination
        key = (determination.assessment.jurisdiction.code, determination.goal.number)
        if key in doubtful and key not in goals:
            goals[key] = GoalAtRisk(
                jurisdiction=key[0],
                goal=key[1],
                status=citation.status,
                points=citation.credit,
                kinds=tuple(sorted({f.kind for f in doubtful[key]})),
                citations=tuple(dict.fromkeys(f.citation for f in doubtful[key])),
            )
    return list(goals.values())


def credit_text(points: Decimal) -> str:
    return f"{fmt(points)} point{'' if points == 1 else 's'}"
