"""The accessible HTML edition of a report card: the same `ReportCard` the PDF is laid out
from (reportcards/pdf/data.py), as one self-contained HTML page.

Headings follow the PDF outline (h1 the card, h2 its sections, h3 the issues and appendix
groups, h4 the policy goals), tables have captions and header cells, a status is written
out beside its colour, and footnote marks link to their notes and back. Every text goes
through the one narrative renderer (core/narrative_html.py), as on the app's pages.

    render_edition(card) -> str    the whole page: inline CSS, no external asset
    render_article(card) -> str    the card alone, for a page of one's own (the static site)
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from html import escape

from django.template.loader import render_to_string

from assessments.scoring import fmt, ordinal, tier_label
from core.narrative_html import MarkRenderer, default_mark, render_html, render_inline_html

from .pdf import texts
from .pdf.analysis import APPROPRIATIONS_GOAL, amount
from .pdf.data import Goal, LabelledText, Quote, ReportCard, Table
from .pdf.document import edition_line, notice_lines
from .pdf.sections import grade_scale

ARTICLE_TEMPLATE = "reportcards/edition/card.html"
PAGE_TEMPLATE = "reportcards/edition/page.html"
STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)
ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

ANALYSIS_SCOPE = "analysis"
STATUS_SYMBOLS = {"fully_met": "●", "partially_met": "◐", "not_met": "○"}


def _id_part(text: str) -> str:
    return ID_UNSAFE.sub("-", text).strip("-") or "x"


def appendix_scope(group: int, item: int) -> str:
    return f"appendix-{group}-{item}"


def _note_scopes(card: ReportCard):
    """(scope, footnotes) of everything that prints footnotes, in the card's order."""
    yield ANALYSIS_SCOPE, (("1",) if card.analysis_footnote.strip() else ())
    for goal in card.goals:
        yield goal.number, tuple(note.label for note in goal.footnotes)
    for group_index, group in enumerate(card.appendix, start=1):
        for item_index, item in enumerate(group.items, start=1):
            labels = tuple(note.label for note in item.footnotes)
            yield appendix_scope(group_index, item_index), labels


class Notes:
    """The footnotes of one card and the marks pointing at them.

    A note is `fn-<label>` when its label is unique in the card (the seed numbers them
    across the report), else `fn-<scope>-<label>`. A mark links to the note of that label
    in its own scope (a goal, the analysis introduction, an appendix item), else to the
    card's only note of that label; the first mark of a note is where its back link goes.
    Rendering is in document order, so a note knows whether anything pointed at it.
    """

    def __init__(self, card: ReportCard):
        scopes = list(_note_scopes(card))
        counts = Counter(label for _, labels in scopes for label in labels)
        self._ids: dict[tuple[str, str], str] = {}
        by_label: dict[str, list[str]] = {}
        for scope, labels in scopes:
            for label in labels:
                prefix = "fn-" if counts[label] == 1 else f"fn-{_id_part(scope)}-"
                note_id = prefix + _id_part(label)
                self._ids[(scope, label)] = note_id
                by_label.setdefault(label, []).append(note_id)
        self._only = {label: ids[0] for label, ids in by_label.items() if len(ids) == 1}
        self._referenced: set[str] = set()

    def note_id(self, scope: str, label: str) -> str:
        return self._ids[(scope, label)]

    def _target(self, scope: str, label: str) -> str | None:
        return self._ids.get((scope, label)) or self._only.get(label)

    def mark(self, scope: str) -> MarkRenderer:
        def render(label: str) -> str:
            target = self._target(scope, label)
            if target is None:
                return default_mark(label)
            first = target not in self._referenced
            self._referenced.add(target)
            anchor = f' id="ref-{target}"' if first else ""
            return (
                f'<sup{anchor}><a href="#{target}"><span class="visually-hidden">note </span>'
                f"{escape(label)}</a></sup>"
            )

        return render

    def back_link(self, scope: str, label: str) -> str | None:
        """Where the note's back link goes, or None when no mark points at it."""
        note_id = self._ids[(scope, label)]
        return f"ref-{note_id}" if note_id in self._referenced else None


def rich(text: str, notes: Notes, scope: str, **kwargs) -> str:
    return render_html(text, mark=notes.mark(scope), **kwargs)


def rich_inline(text: str, notes: Notes, scope: str) -> str:
    return render_inline_html(text, mark=notes.mark(scope))


def table_html(table: Table, caption: str, notes: Notes, scope: str) -> str:
    """A goal's table: its title as caption, header cells for the columns and, where the
    first column heading is blank (a column of row labels), for each row."""
    width = max([len(table.columns), *(len(row) for row in table.rows)], default=0)
    if width == 0:
        return ""
    label_column = bool(table.columns) and not table.columns[0].strip() and width > 1

    def padded(cells):
        return list(cells) + [""] * (width - len(cells))

    head = "".join(
        f'<th scope="col">{rich_inline(cell, notes, scope)}</th>' for cell in padded(table.columns)
    )
    rows = []
    for row in table.rows:
        cells = []
        for column, cell in enumerate(padded(row)):
            content = rich(cell, notes, scope)
            if column == 0 and label_column:
                cells.append(f'<th scope="row">{content}</th>')
            else:
                cells.append(f"<td>{content}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    title = rich_inline(table.title, notes, scope) if table.title.strip() else escape(caption)
    return (
        f'<div class="table-wrap"><table class="data"><caption>{title}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _source(quote: Quote) -> str:
    """A quote's statute as the PDF names it: citation, pinpoint and (caption)."""
    source = f"{quote.citation}{quote.pinpoint}"
    return f"{source} ({quote.caption})" if quote.caption else source


def quote_html(quote: Quote, notes: Notes, scope: str) -> str:
    return (
        f'<blockquote class="statute-quote">{rich(quote.text, notes, scope)}'
        f'<p class="quote-source">— {rich_inline(_source(quote), notes, scope)}</p></blockquote>'
    )


def goal_narrative(goal: Goal, notes: Notes) -> str:
    """The goal's narrative with its quotes and tables where it places them."""

    def resolve(kind: str, number: int) -> str | None:
        if kind == "quote" and 1 <= number <= len(goal.quotes):
            return quote_html(goal.quotes[number - 1], notes, goal.number)
        if kind == "table" and 1 <= number <= len(goal.tables):
            caption = f"Policy Goal {goal.number}, table {number}"
            return table_html(goal.tables[number - 1], caption, notes, goal.number)
        return None

    return rich(goal.narrative, notes, goal.number, resolve=resolve)


def _mark_of(label: str) -> str:
    """A footnote label as the narrative format marks it, rendered (and linked) by
    `rich_inline` like the marks inside texts; "" for none."""
    return f"[^{label}]" if label else ""


def _context(card: ReportCard) -> dict:
    tiers = card.framework.rules.tiers
    middle = max(card.jurisdiction_count - tiers.top - tiers.bottom, 0)
    return {
        "card": card,
        "notes": Notes(card),
        "title": texts.TITLE,
        "tagline": texts.TAGLINE,
        "sections": texts.SECTIONS,
        # Keyed as templates can name them: "safe_harbor" for the section "safe-harbor".
        "section_titles": {key.replace("-", "_"): title for key, title in texts.SECTIONS},
        "edition_line": edition_line(card),
        "notices": notice_lines(card, draft=not card.complete),
        "rank": f"Ranked {ordinal(card.rank)}{' (tie)' if card.tied else ''}",
        "tier": tier_label(card.tier),
        "total": fmt(card.total),
        "total_max": fmt(card.framework.total_max),
        "grade_scale": grade_scale(card),
        "tiers": (
            (1, f"Top {tiers.top} scores"),
            (2, f"Middle {middle} scores"),
            (3, f"Bottom {tiers.bottom} scores"),
        ),  # fmt: skip
        "pic_areas": texts.PIC_AREAS,
        "grades_basis": texts.GRADES_BASIS,
        "safe_harbor_explainer": (
            ("What is Safe Harbor?", texts.SAFE_HARBOR_WHAT),
            ("Why Safe Harbor?", texts.SAFE_HARBOR_WHY),
            ("Safe Harbor laws", texts.SAFE_HARBOR_LAWS),
        ),
        "safe_harbor_goals": [goal for goal in card.goals if goal.safe_harbor],
        "analysis_intro": texts.ANALYSIS_INTRO.format(
            name=card.jurisdiction, marker="[^1]" if card.analysis_footnote.strip() else ""
        ),
        "analysis_scope": ANALYSIS_SCOPE,
        "analysis_notes": (
            (LabelledText("1", card.analysis_footnote),) if card.analysis_footnote.strip() else ()
        ),
        "appendix": [
            (
                group_index,
                group,
                [
                    (appendix_scope(group_index, item_index), item_index, item, _source(item))
                    for item_index, item in enumerate(group.items, start=1)
                ],
            )
            for group_index, group in enumerate(card.appendix, start=1)
        ],
        "appropriations_goal": APPROPRIATIONS_GOAL,
        "appropriations": [
            (row, amount(row.amount), _mark_of(row.amount_footnote)) for row in card.appropriations
        ],
        "symbols": STATUS_SYMBOLS,
    }


def render_article(card: ReportCard) -> str:
    """The card as one <article>, for a page that brings its own <head> (and includes
    `render_style()` in it)."""
    return render_to_string(ARTICLE_TEMPLATE, _context(card))


def render_edition(card: ReportCard) -> str:
    """The whole self-contained page of the card."""
    return render_to_string(PAGE_TEMPLATE, _context(card))


def render_style() -> str:
    return render_to_string("reportcards/edition/edition.css")


def style_hashes(html: str) -> list[str]:
    """The CSP source expressions ('sha256-…') allowing exactly the page's own <style>
    elements: a stored edition is served as it was published, CSS included."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"
        for style in STYLE_ELEMENT.findall(html)
    ]
