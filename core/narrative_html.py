"""The HTML renderer of the narrative format: the tree of core/narrative.py as HTML for
pages and the editor preview; the PDF renderer (reportcards/pdf/markup.py) walks the same
tree.

Every text is escaped as the tree is rendered, and nh3 then cleans the result as the last
line of defence: only the tags below, links only to http(s), mailto and in-document
anchors, no images, no attributes but the ones listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import nh3
from django.utils.safestring import SafeString, mark_safe

from . import narrative
from .narrative import ListBlock, Mark, Paragraph, Placeholder, Quote, Text

# (kind, number) -> HTML of the quote or table placed there, or None when there is none.
Resolver = Callable[[str, int], str | None]
# A footnote mark's label -> its HTML (the HTML edition links it to its note).
MarkRenderer = Callable[[str], str]

ALLOWED_TAGS = {
    "p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "sup",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "div", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "ol": {"start"},
    "li": {"class"},
    # A footnote reference's id is the target of its note's back link (the HTML edition).
    "sup": {"id"},
    "th": {"scope"},
    "p": {"class"},
    "div": {"class"},
    "span": {"class"},
    "blockquote": {"class"},
    "table": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def default_mark(label: str) -> str:
    """A footnote mark as pages show it: the label raised."""
    return f"<sup>{escape(label)}</sup>"


@dataclass(frozen=True)
class _Renderer:
    resolve: Resolver | None = None
    mark: MarkRenderer = default_mark

    def inline(self, nodes: tuple) -> str:
        out = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(escape(node.text, quote=False))
            elif isinstance(node, Mark):
                out.append(self.mark(node.label))
            elif node.kind == "link":
                out.append(f'<a href="{escape(node.href)}">{self.inline(node.children)}</a>')
            else:
                out.append(f"<{node.kind}>{self.inline(node.children)}</{node.kind}>")
        return "".join(out)

    def blocks(self, blocks: tuple) -> str:
        out = []
        for block in blocks:
            if isinstance(block, Paragraph):
                out.append(f"<p>{self.inline(block.inlines)}</p>")
            elif isinstance(block, Placeholder):
                resolved = self.resolve(block.kind, block.number) if self.resolve else None
                # As the PDF does: an unknown placeholder shows as written, marked for the analyst.
                out.append(resolved or f'<p class="missing-reference">{escape(block.source)}</p>')
            elif isinstance(block, Quote):
                out.append(f"<blockquote>{self.blocks(block.blocks)}</blockquote>")
            elif isinstance(block, ListBlock):
                out.append(self.list(block))
        return "".join(out)

    def list(self, block: ListBlock) -> str:
        items = "".join(
            ('<li class="labelled">' if item.labelled else "<li>")
            + self.blocks(item.blocks)
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


def render_html(
    text: str, *, resolve: Resolver | None = None, mark: MarkRenderer = default_mark
) -> SafeString:
    """`text` in the narrative format as sanitised HTML; `resolve` places quotes and tables
    and `mark` writes footnote marks (HTML either returns is cleaned with the rest)."""
    return clean(_Renderer(resolve, mark).blocks(narrative.parse(text)))


def render_inline_html(text: str, *, mark: MarkRenderer = default_mark) -> SafeString:
    """A one-line text (a quote's source, a caption) as sanitised inline HTML: emphasis and
    links only, as the PDF prints it (reportcards/pdf/markup.py `inline`)."""
    return clean(_Renderer(mark=mark).inline(narrative.parse_inline(text)))
