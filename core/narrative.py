"""The narrative format: one parser for every text the app prints (docs/narrative-format.md).

Text is parsed once, by markdown-it-py, into a small tree of the supported subset:
paragraphs, *emphasis* and **strong**, bullet and numbered lists (nested), block quotes,
links (http, https, mailto and in-document `#`; `<https://…>` too), whole-paragraph `[[quote N]]` /
`[[table N]]` placeholders and `[^N]` footnote marks. The HTML renderer
(core/narrative_html.py) and the PDF renderer (reportcards/pdf/markup.py) both walk this
tree, so the preview and the printed card cannot disagree.

Anything else (HTML, headings, code, images, Markdown tables, rules, link definitions, other
link schemes) is refused on save by `format_problems`. Text that reached the database
another way still renders safely: the rendering parser does not know those constructs, so
they stay the literal text they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from core.limits import FOOTNOTE_LABEL

# Deeper nesting is refused on save. Renderers stop indenting earlier; markdown-it stops
# nesting at PARSER_NESTING (and drops what lies deeper), which only text that bypassed
# the save check can reach.
MAX_NESTING = 6
PARSER_NESTING = 100

PLACEHOLDER = re.compile(r"\[\[(quote|table) (\d{1,4})\]\]")
LOOSE_PLACEHOLDER = re.compile(r"\[\[\s*(quote|table)\s*(\d{1,4})\s*\]\]", re.IGNORECASE)
FOOTNOTE_MARK = re.compile(rf"\[\^({FOOTNOTE_LABEL})\]")
FOOTNOTE_DEFINITION = re.compile(rf"^\[\^{FOOTNOTE_LABEL}\]:", re.MULTILINE)
# Statute subdivisions such as (a), (iv) or (13) are their own labels, and an elision
# ("....") is no item: neither gets a bullet.
ENUMERATED = re.compile(r"\((?:\d{1,3}|[a-z]{1,4}|[A-Z])\)")
LINK_SCHEMES = ("http://", "https://", "mailto:")


# The tree. Inline nodes: Text, Mark (a footnote mark), Span (emphasis, strong, link).
@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Mark:
    label: str


@dataclass(frozen=True)
class Span:
    kind: str  # "em", "strong" or "link"
    children: tuple
    href: str = ""


# Block nodes: Paragraph, Placeholder, ListBlock of Items, Quote.
@dataclass(frozen=True)
class Paragraph:
    inlines: tuple


@dataclass(frozen=True)
class Placeholder:
    kind: str  # "quote" or "table"
    number: int
    source: str  # as typed, printed when nothing resolves it


@dataclass(frozen=True)
class Item:
    blocks: tuple
    # Starts with its own label such as "(a)" (statute subdivisions): no bullet or number.
    labelled: bool = False


@dataclass(frozen=True)
class ListBlock:
    items: tuple
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Quote:
    blocks: tuple


def link_allowed(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(LINK_SCHEMES) or url.startswith("#")


@cache
def _renderer_parser() -> MarkdownIt:
    """The subset only: every other construct is unknown to it and stays text."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": PARSER_NESTING})
    md.disable(["code", "fence", "hr", "reference", "html_block", "heading", "lheading"])
    md.disable(["backticks", "image", "html_inline", "entity"])
    md.validateLink = link_allowed
    return md


@cache
def _checking_parser() -> MarkdownIt:
    """Everything Markdown knows (GFM tables and strikethrough too), to name what is refused."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": PARSER_NESTING})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True
    return md


# Parsing into the tree


def parse(text: str) -> tuple:
    """The block tree of `text`."""
    tokens = _renderer_parser().parse(_normalised(text))
    blocks, _ = _blocks(tokens, 0, None)
    return blocks


def parse_inline(text: str) -> tuple:
    """The inline nodes of a one-line text (a title, a table cell): no block structure, so
    "1. Criminal Provisions" stays a title and never becomes a list."""
    tokens = _renderer_parser().parseInline(_normalised(text))
    return _inlines(tokens[0].children or []) if tokens else ()


def _normalised(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


_CLOSES = {
    "bullet_list_open": "bullet_list_close",
    "ordered_list_open": "ordered_list_close",
    "list_item_open": "list_item_close",
    "blockquote_open": "blockquote_close",
}


def _blocks(tokens: list[Token], index: int, until: str | None) -> tuple[tuple, int]:
    """Blocks from tokens[index] up to the closing token `until`; returns (blocks, next)."""
    blocks = []
    while index < len(tokens):
        token = tokens[index]
        if token.type == until:
            return tuple(blocks), index + 1
        if token.type == "inline":
            blocks.append(_paragraph(token))
            index += 1
        elif token.type in _CLOSES:
            children, index = _blocks(tokens, index + 1, _CLOSES[token.type])
            blocks.append(_container(token, children))
        else:  # paragraph_open / paragraph_close: the inline token carries the content
            index += 1
    return tuple(blocks), index


def _container(token: Token, children: tuple):
    if token.type == "blockquote_open":
        return Quote(children)
    if token.type == "list_item_open":
        return Item(children, labelled=_labelled(children))
    if token.type == "ordered_list_open":
        return ListBlock(children, ordered=True, start=int(token.attrGet("start") or 1))
    return ListBlock(children)


def _labelled(blocks: tuple) -> bool:
    first = plain_text(blocks[:1]).strip()
    return bool(ENUMERATED.match(first)) or not any(c.isalnum() for c in first)


def _paragraph(token: Token):
    inlines = _inlines(token.children or [])
    if len(inlines) == 1 and isinstance(inlines[0], Text):
        placeholder = PLACEHOLDER.fullmatch(inlines[0].text.strip())
        if placeholder:
            kind, number = placeholder.groups()
            return Placeholder(kind, int(number), placeholder.group(0))
    return Paragraph(inlines)


_SPANS = {"em_open": "em", "strong_open": "strong", "link_open": "link"}


def _inlines(tokens: list[Token]) -> tuple:
    """Inline nodes; a stack instead of recursion, so deep emphasis cannot overflow."""
    stack: list[tuple[str, str, list]] = [("root", "", [])]
    for token in tokens:
        if token.type in _SPANS:
            href = str(token.attrGet("href") or "")
            stack.append((_SPANS[token.type], href, []))
        elif token.type.endswith("_close") and len(stack) > 1:
            kind, href, children = stack.pop()
            stack[-1][2].append(Span(kind, tuple(_with_marks(children)), href))
        elif token.type in ("softbreak", "hardbreak"):
            _add_text(stack[-1][2], " ")
        else:
            _add_text(stack[-1][2], token.content)
    while len(stack) > 1:  # unbalanced spans cannot come from markdown-it; kept safe anyway
        kind, href, children = stack.pop()
        stack[-1][2].append(Span(kind, tuple(_with_marks(children)), href))
    return tuple(_with_marks(stack[0][2]))


def _add_text(nodes: list, text: str) -> None:
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] += text
    else:
        nodes.append(text)


def _with_marks(nodes: list):
    for node in nodes:
        if not isinstance(node, str):
            yield node
            continue
        for position, part in enumerate(FOOTNOTE_MARK.split(node)):
            if position % 2:
                yield Mark(part)
            elif part:
                yield Text(part)


# Reading the tree


def walk(blocks: tuple):
    """Every block, depth first, with its nesting depth."""
    stack = [(block, 0) for block in reversed(blocks)]
    while stack:
        block, depth = stack.pop()
        yield block, depth
        children = getattr(block, "blocks", None) or getattr(block, "items", ())
        stack += [(child, depth + 1) for child in reversed(children)]


def inline_text(inlines: tuple) -> str:
    parts = []
    stack = list(reversed(inlines))
    while stack:
        node = stack.pop()
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Mark):
            parts.append(node.label)
        else:
            stack += reversed(node.children)
    return "".join(parts)


def plain_text(blocks: tuple) -> str:
    """The words of the blocks, one block per line (for tests and comparisons)."""
    lines = []
    for block, _ in walk(blocks):
        if isinstance(block, Paragraph):
            lines.append(inline_text(block.inlines))
        elif isinstance(block, Placeholder):
            lines.append(block.source)
    return "\n".join(lines)


def references(text: str) -> list[tuple[str, str]]:
    """("quote", "2"), ("table", "1"), ("footnote", "3"): what `text` refers to, in order."""
    found = []
    for block, _ in walk(parse(text)):
        if isinstance(block, Placeholder):
            found.append((block.kind, str(block.number)))
        elif isinstance(block, Paragraph):
            found += [("footnote", mark.label) for mark in _marks(block.inlines)]
    return found


def _marks(inlines: tuple):
    for node in inlines:
        if isinstance(node, Mark):
            yield node
        elif isinstance(node, Span):
            yield from _marks(node.children)


# What is refused on save

_REFUSED_BLOCKS = {
    "heading_open": "a heading (use **bold** text on its own line)",
    "code_block": "a code block (a line indented by four or more spaces)",
    "fence": "a code block (```)",
    "hr": "a horizontal rule (---)",
    "table_open": "a Markdown table (add a table to the goal and place it with [[table N]])",
}
_REFUSED_INLINES = {
    "image": "an image",
    "code_inline": "inline code (`…`)",
    "s_open": "strikethrough (~~…~~)",
}


_NESTED = ("bullet_list_", "ordered_list_", "blockquote_")


def format_problems(text: str) -> list[str]:
    """Each construct outside the narrative format, named with its line; [] when all is well."""
    if not text:
        return []
    env: dict = {}
    tokens = _checking_parser().parse(_normalised(text), env)
    problems = []
    for label in env.get("references", {}):
        problems.append(
            f"a link definition “[{label}]: …” (write links as [text](https://…); "
            "footnotes belong in the goal's footnotes and are marked with [^N])"
        )
    depth = 0
    for token in tokens:
        depth += token.nesting if token.type.startswith(_NESTED) else 0
        line = f"line {token.map[0] + 1}" if token.map else "a line"
        if token.type == "html_block":
            problems.append(f"HTML ({_shown(token.content)}) on {line}")
        elif token.type in _REFUSED_BLOCKS:
            problems.append(f"{_REFUSED_BLOCKS[token.type]} on {line}")
        elif depth > MAX_NESTING:
            problems.append(f"lists and quotes nested more than {MAX_NESTING} deep on {line}")
            depth = -len(tokens)  # said once
        elif token.type == "inline":
            problems += [f"{problem} on {line}" for problem in _inline_problems(token)]
    return list(dict.fromkeys(problems))


def _inline_problems(token: Token) -> list[str]:
    problems = []
    for child in token.children or []:
        if child.type == "html_inline" and not child.content.startswith("</"):
            problems.append(f"HTML ({_shown(child.content)})")
        elif child.type in _REFUSED_INLINES:
            problems.append(_REFUSED_INLINES[child.type])
        elif child.type == "link_open" and not link_allowed(str(child.attrGet("href"))):
            problems.append(
                f"a link to “{child.attrGet('href')}” (only http, https, mailto and "
                "in-document # links)"
            )
    content = token.content.strip()
    if FOOTNOTE_DEFINITION.search(content):
        problems.append(
            "a footnote definition “[^N]: …” (add footnotes to the goal's footnotes; "
            "the text only marks them with [^N])"
        )
    for match in LOOSE_PLACEHOLDER.finditer(content):
        if match.group(0) != content or not PLACEHOLDER.fullmatch(content):
            problems.append(
                f"“{match.group(0)}” (write [[quote N]] or [[table N]] exactly, "
                "as a paragraph of its own)"
            )
    return problems


def _shown(source: str) -> str:
    source = " ".join(source.split())
    return source if len(source) <= 40 else source[:39] + "…"


def format_error(text: str, what: str = "The text") -> str:
    """One message for a form or an import, or "" when the text is in the format."""
    problems = format_problems(text)
    if not problems:
        return ""
    return f"{what} uses what the narrative format does not support: " + "; ".join(problems) + "."
