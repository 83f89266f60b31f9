"""The HTML renderer of the narrative format: the tree of core/narrative.py as HTML for
pages and the editor preview; the PDF renderer (reportcards/pdf/markup.py) walks the same
tree.

Every text is escaped as the tree is rendered, and nh3 then cleans the result as the last
line of defence: only the tags below, links only to http(s), mailto and in-document
anchors, no images, no attributes but the ones listed.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import nh3
from django.utils.safestring import SafeString, mark_safe

from . import narrative
from .narrative import ListBlock, Mark, Paragraph, Placeholder, Quote, Text

# (kind, number) -> HTML of the quote or table placed there, or None when there is none.
Resolver = Callable[[str, int], str | None]

ALLOWED_TAGS = {
    "p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "sup",
    "table", "thead", "tbody", "tr", "th", "td", "div", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "ol": {"start"},
    "li": {"class"},
    "p": {"class"},
    "div": {"class"},
    "span": {"class"},
    "blockquote": {"class"},
    "table": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _inline(nodes: tuple) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(escape(node.text, quote=False))
        elif isinstance(node, Mark):
            out.append(f"<sup>{escape(node.label)}</sup>")
        elif node.kind == "link":
            out.append(f'<a href="{escape(node.href)}">{_inline(node.children)}</a>')
        else:
            out.append(f"<{node.kind}>{_inline(node.children)}</{node.kind}>")
    return "".join(out)


def _blocks(blocks: tuple, resolve: Resolver | None) -> str:
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(f"<p>{_inline(block.inlines)}</p>")
        elif isinstance(block, Placeholder):
            resolved = resolve(block.kind, block.number) if resolve else None
            # As the PDF does: an unknown placeholder shows as written, marked for the analyst.
            out.append(resolved or f'<p class="missing-reference">{escape(block.source)}</p>')
        elif isinstance(block, Quote):
            out.append(f"<blockquote>{_blocks(block.blocks, resolve)}</blockquote>")
        elif isinstance(block, ListBlock):
            out.append(_list(block, resolve))
    return "".join(out)


def _list(block: ListBlock, resolve: Resolver | None) -> str:
    items = "".join(
        ('<li class="labelled">' if item.labelled else "<li>")
        + _blocks(item.blocks, resolve)
        + "</li>"
        for item in block.items
    )
    if not block.ordered:
        return f"<ul>{items}</ul>"
    start = f' start="{block.start}"' if block.start != 1 else ""
    return f"<ol{start}>{items}</ol>"


def clean(html: str) -> SafeString:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - escaped while rendering, then cleaned by nh3


def render_html(text: str, *, resolve: Resolver | None = None) -> SafeString:
    """`text` in the narrative format as sanitised HTML; `resolve` places quotes and tables
    (HTML it returns is cleaned with the rest)."""
    return clean(_blocks(narrative.parse(text), resolve))


def render_inline_html(text: str) -> SafeString:
    """A one-line text (a quote's source, a caption) as sanitised inline HTML: emphasis and
    links only, as the PDF prints it (reportcards/pdf/markup.py `inline`)."""
    return clean(_inline(narrative.parse_inline(text)))
