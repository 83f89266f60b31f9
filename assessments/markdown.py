"""A goal's texts as sanitised HTML for the editor preview and the goal pages.

The narrative format has one parser and two renderers (core/narrative.py); this module
places a goal's quotes and tables where its narrative says `[[quote N]]` / `[[table N]]`.
Quotes, captions (the quote's source line, inline as the PDF prints it) and every other
text go through the same renderer, so a quote with `[x](javascript:…)` is as dead as one
in the narrative.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from core.narrative_html import render_html, render_inline_html


def _quote_html(citation) -> str:
    statute = citation.statute
    source = f"{statute.citation}{citation.pinpoint}"
    if statute.caption:
        source += f" ({statute.caption})"
    return (
        f'<blockquote class="statute-quote">{render_html(citation.quote)}'
        f'<p class="quote-source">— {render_inline_html(source)}</p></blockquote>'
    )


def _table_html(table) -> str:
    def cells(tag, row):
        return "".join(f"<{tag}>{render_html(str(cell))}</{tag}>" for cell in row)

    rows = "".join(f"<tr>{cells('td', row)}</tr>" for row in table.rows)
    title = f'<p class="table-title">{render_html(table.title)}</p>' if table.title else ""
    return (
        f'<div class="table-responsive">{title}<table class="table table-sm table-bordered">'
        f"<thead><tr>{cells('th', table.columns)}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def render_narrative(text: str, *, citations: Sequence = (), tables: Sequence = ()) -> SafeString:
    """Narrative → sanitised HTML, with the goal's quotes and tables placed where marked."""

    def resolve(kind: str, number: int) -> str | None:
        items = citations if kind == "quote" else tables
        if not 1 <= number <= len(items):
            return None
        item = items[number - 1]
        return _quote_html(item) if kind == "quote" else _table_html(item)

    return render_html(text, resolve=resolve)


def render_text(text: str) -> SafeString:
    """Any other text of a goal (recommendation, insight, footnote, explanation)."""
    return render_html(text)
