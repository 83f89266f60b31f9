"""The narrative Markdown subset rendered to safe HTML for the editor preview and pages.

Markdown first, then nh3 strips anything that is not plain formatting, so an analyst's
`<script>` or `onclick=` never reaches a reviewer's browser. `[[quote N]]` places the
goal's N-th citation as a block quote and `[^N]` becomes a superscript footnote mark.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

PLACEHOLDER = re.compile(r"^\[\[(quote|table) (\d+)\]\]\s*$", re.MULTILINE)
FOOTNOTE_MARK = re.compile(r"\[\^([0-9A-Za-z]+)\]")
ALLOWED_TAGS = {
    "p", "em", "strong", "ul", "ol", "li", "blockquote", "sup", "br", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "div", "cite", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"div": {"class"}, "span": {"class"}, "blockquote": {"class"}}


def _markdown(text: str) -> str:
    return markdown_lib.markdown(text, extensions=["sane_lists"])


def _quote_html(citation) -> str:
    source = html.escape(f"{citation.statute.citation}{citation.pinpoint}")
    body = _markdown(html.escape(citation.quote or ""))
    return f'<blockquote class="statute-quote">{body}<cite>{source}</cite></blockquote>'


def _table_html(table) -> str:
    head = "".join(f"<th>{html.escape(str(cell))}</th>" for cell in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f'<div class="table-responsive"><table class="table table-sm table-bordered"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'  # noqa: E501


def render_narrative(text: str, *, citations: Sequence = (), tables: Sequence = ()) -> SafeString:
    """Narrative Markdown → sanitised HTML, with quotes and tables placed where marked."""
    blocks: dict[str, str] = {}

    def place(match: re.Match) -> str:
        kind, number = match.group(1), int(match.group(2))
        items = citations if kind == "quote" else tables
        key = f"RCBLOCK{len(blocks)}X"
        if 1 <= number <= len(items):
            item = items[number - 1]
            blocks[key] = _quote_html(item) if kind == "quote" else _table_html(item)
        else:
            blocks[key] = (
                f'<div class="alert alert-warning py-1">There is no {kind} {number} '
                "in this goal.</div>"
            )
        return f"\n\n{key}\n\n"

    text = PLACEHOLDER.sub(place, text or "")
    text = FOOTNOTE_MARK.sub(lambda m: f"<sup>{html.escape(m.group(1))}</sup>", text)
    rendered = _markdown(text)
    cleaned = nh3.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)
    for key, block in blocks.items():
        cleaned = cleaned.replace(f"<p>{key}</p>", block).replace(key, block)
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 above; blocks are escaped
