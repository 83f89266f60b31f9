"""References that point at nothing: `[[quote N]]`, `[[table N]]` and `[^N]` in a goal's
texts without the citation, table or footnote they name.

One check for every place that needs it: the editor shows the problems as a warning (a
draft may be saved with them), submitting, approving, importing as approved and publishing
refuse them.
"""

from __future__ import annotations

from collections.abc import Iterable

from core import narrative


def _count(number: int, noun: str) -> str:
    if number == 0:
        return f"no {noun}s"
    return f"{number} {noun}" + ("" if number == 1 else "s")


def reference_problems(
    *,
    goal: str,
    narrative_text: str,
    other_texts: Iterable[str] = (),
    quotes: int,
    tables: int,
    footnotes: Iterable[str],
) -> list[str]:
    """Each dangling reference of one goal, named, e.g. "Goal 3.3 refers to quote 2, but
    the goal has 1 citation." Placeholders only place anything in the narrative; footnote
    marks count in every text of the goal."""
    labels = {str(label) for label in footnotes}
    problems = []
    for kind, label in narrative.references(narrative_text):
        if kind == "quote" and not 1 <= int(label) <= quotes:
            problems.append(
                f"Goal {goal} refers to quote {label}, but the goal has "
                f"{_count(quotes, 'citation')}."
            )
        elif kind == "table" and not 1 <= int(label) <= tables:
            problems.append(
                f"Goal {goal} refers to table {label}, but the goal has {_count(tables, 'table')}."
            )
        elif kind == "footnote" and label not in labels:
            problems.append(_footnote_problem(goal, label))
    for text in other_texts:
        problems += [
            _footnote_problem(goal, label)
            for kind, label in narrative.references(text)
            if kind == "footnote" and label not in labels
        ]
    return list(dict.fromkeys(problems))


def marked_title_problem(goal: str, title: str, marked_title: str) -> str | None:
    """Why `marked_title` cannot stand for the goal's title: without its footnote marks it
    must read exactly as the framework's title (marks only, never other words)."""
    if marked_title and narrative.FOOTNOTE_MARK.sub("", marked_title) != title:
        return (
            f"The marked title of goal {goal} must read as the goal's title once its footnote "
            f"marks are taken out: “{title}”."
        )
    return None


def _footnote_problem(goal: str, label: str) -> str:
    return f"Goal {goal} marks footnote {label}, but the goal has no footnote {label}."


def determination_reference_problems(determination) -> list[str]:
    """`reference_problems` of a saved determination, read from its rows."""
    citations = list(determination.citations.all())
    return reference_problems(
        goal=determination.goal.number,
        narrative_text=determination.narrative,
        other_texts=[
            determination.marked_title,
            *(citation.quote for citation in citations),
            *(r.text for r in determination.recommendations.all()),
            *(i.quote for i in determination.insights.all()),
            *(a.explanation for a in determination.extra_credit_awards.all()),
        ],
        quotes=len(citations),
        tables=len(determination.tables.all()),
        footnotes=[footnote.label for footnote in determination.footnotes.all()],
    )


def assessment_reference_problems(assessment) -> list[str]:
    """Every dangling reference of an assessment's goals, in goal order (for publishing)."""
    determinations = (
        assessment.determinations.select_related("goal")
        .prefetch_related(
            "citations", "recommendations", "insights", "extra_credit_awards", "tables", "footnotes"
        )
        .order_by("goal__ordering")
    )
    problems = []
    for determination in determinations:
        problems += determination_reference_problems(determination)
    return problems
