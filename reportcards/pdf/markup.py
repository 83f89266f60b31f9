"""The PDF renderer of the narrative format: the tree of core/narrative.py as ReportLab
flowables, the same tree the preview renders as HTML (docs/narrative-format.md).

Paragraph parses its input as XML, so every character of stored text is escaped before
the few tags made here (<b>, <i>, <a href>, <super>) are added, and tags only ever come
in matched, nested pairs built from the tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from core import narrative
from core.narrative import ListBlock, Mark, Placeholder, Quote, Span, Text

from . import fonts

Resolver = Callable[[str, int], list[Flowable] | None]

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
WHITESPACE = re.compile(r"[\t\n\r]+")
# The spaces inside a citation ("Miss. Code Ann. § 97-3-54.1") that must not end a line:
# the section sign stays with its number and the abbreviations with each other. A line may
# still break before "§", so that a citation fits a narrow table column in two pieces.
CITATION_SPACE = re.compile(
    r"(?<=§) (?=\d)|(?<=\bMiss\.) (?=[A-Z])|(?<=\bCode) (?=Ann\.)|(?<=\bCode\.) (?=Ann\.)"
    r"|(?<=\bR\.) (?=Evid\.)"
)
NO_BREAK_SPACE = "\u00a0"
# In-document links go to the outline's destinations: a section, a goal or an issue.
DESTINATION = re.compile(
    r"#((?:goal-\d{1,2}\.\d{1,2})|(?:issue-\d{1,2})"
    r"|history|framework|report-card|safe-harbor|analysis|appendix|resources)"
)
# A web address written out in the text ("visit act.sharedhope.org/actioncenter."): linked,
# without the sentence's closing punctuation.
WEB_ADDRESS = re.compile(
    r"\b(?:https?://)?(?:[a-z0-9-]+\.)+(?:org|com|gov|net|edu|us)(?:/[^\s<>“”\"]*)?",
    re.IGNORECASE,
)
TRAILING = ".,;:)’”"
LINK_COLOUR = "#1f3a5f"

LIST_STEP = 14
QUOTE_INDENT = 20
# Past these depths the text is printed flat instead of indenting off the page.
MAX_LIST_LEVEL = 5
MAX_QUOTE_DEPTH = 3


def marker(label: str) -> str:
    """A footnote marker: Unicode superscript digits (they survive text extraction as
    “activity,³”, like the published report), or a <super> run for other labels."""
    label = fonts.printable(label)
    if label.isascii() and label.isdigit():
        return label.translate(SUPERSCRIPT)
    return f"<super>{escape(label)}</super>"


def _text(text: str) -> str:
    text = CITATION_SPACE.sub(NO_BREAK_SPACE, WHITESPACE.sub(" ", text))
    return escape(fonts.printable(text))


def _web_links(text: str) -> str:
    """`_text(text)` with each web address written out in it made a link."""
    out, end = [], 0
    for found in WEB_ADDRESS.finditer(text):
        address = found.group(0).rstrip(TRAILING)
        start = found.start()
        href = address if "://" in address else f"https://{address}"
        out += [_text(text[end:start]), _anchor(href, _text(address))]
        end = start + len(address)
    return "".join([*out, _text(text[end:])])


def _anchor(href: str, content: str) -> str:
    return f'<a href={quoteattr(href)} color="{LINK_COLOUR}">{content}</a>'


def _link(span: Span, content: str) -> str:
    href = span.href.strip()
    if href.startswith("#"):
        destination = DESTINATION.fullmatch(href)
        if destination is None:
            return content  # no such place in the card: the words alone
        href = destination.group(0)
    return _anchor(href, content)


def _inline_markup(nodes: tuple, *, in_link: bool = False) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(_text(node.text) if in_link else _web_links(node.text))
        elif isinstance(node, Mark):
            out.append(marker(node.label))
        else:
            content = _inline_markup(node.children, in_link=in_link or node.kind == "link")
            if node.kind == "strong":
                out.append(f"<b>{content}</b>")
            elif node.kind == "link":
                out.append(_link(node, content))
            # DejaVu's oblique faces lack Arabic and more; print such runs upright, not as boxes.
            elif fonts.italic_gaps().search(narrative.inline_text(node.children)):
                out.append(content)
            else:
                out.append(f"<i>{content}</i>")
    return "".join(out)


def inline(text: str) -> str:
    """Paragraph markup for a one-line text (title, label, cell): inline formatting only."""
    return _inline_markup(narrative.parse_inline(text))


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(inline(text), style)


def _derive(base: ParagraphStyle, kind: str, level: int) -> ParagraphStyle:
    if kind == "quote":
        return ParagraphStyle(
            f"{base.name}>quote",
            parent=base,
            leftIndent=base.leftIndent + QUOTE_INDENT,
            rightIndent=base.rightIndent + 12,
            fontSize=base.fontSize * 0.95,
            leading=base.leading * 0.95,
        )
    indent = base.leftIndent + LIST_STEP * (level + 1)
    return ParagraphStyle(
        f"{base.name}>{kind}{level}",
        parent=base,
        leftIndent=indent,
        bulletIndent=indent - 10,
        spaceAfter=base.spaceAfter / 2,
    )


class _Renderer:
    """Walks one tree. `margin` is the style lists indent from: the base text's, or the
    enclosing quote's."""

    def __init__(self, resolve: Resolver | None):
        self.resolve = resolve

    def blocks(self, blocks, style, margin, *, level=-1, depth=0, bullet=None) -> list[Flowable]:
        flowables: list[Flowable] = []
        for block in blocks:
            if isinstance(block, ListBlock):
                flowables += self.list(block, margin, level=level + 1, depth=depth)
            elif isinstance(block, Quote):
                inner = _derive(style, "quote", 0) if depth < MAX_QUOTE_DEPTH else style
                flowables += self.blocks(block.blocks, inner, inner, depth=depth + 1)
            elif isinstance(block, Placeholder):
                resolved = self.resolve(block.kind, block.number) if self.resolve else None
                # An unknown placeholder prints as written, for the analyst to see.
                flowables += (
                    resolved
                    if resolved is not None
                    else [Paragraph(_text(block.source), style, bulletText=bullet)]
                )
            else:
                flowables.append(Paragraph(_inline_markup(block.inlines), style, bulletText=bullet))
            bullet = None
        return flowables

    def list(self, block: ListBlock, margin, *, level, depth) -> list[Flowable]:
        style = _derive(margin, "item", min(level, MAX_LIST_LEVEL))
        flowables: list[Flowable] = []
        for number, item in enumerate(block.items, start=block.start):
            bullet = None if item.labelled else (f"{number}." if block.ordered else "•")
            flowables += self.blocks(
                item.blocks, style, margin, level=level, depth=depth, bullet=bullet
            )
        return flowables


def to_flowables(
    text: str,
    style: ParagraphStyle,
    *,
    resolve: Resolver | None = None,
    prefix: str = "",
) -> list[Flowable]:
    """Flowables for `text`; `prefix` (markup) starts the first paragraph, e.g. a label."""
    flowables = _Renderer(resolve).blocks(narrative.parse(text), style, style)
    if prefix:
        first = flowables[0] if flowables else None
        if isinstance(first, Paragraph) and first.style is style and not first.bulletText:
            flowables[0] = Paragraph(prefix + first.text, style)
        else:
            flowables.insert(0, Paragraph(prefix, style))
    return flowables
