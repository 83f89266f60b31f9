"""Our Markdown subset turned into ReportLab flowables, with everything else escaped.

Supported: paragraphs separated by blank lines, `- ` list items nested by two-space
indents, `> ` block quotes, *italic*, **bold**, `[^N]` footnote markers and whole-paragraph
`[[quote N]]` / `[[table N]]` placeholders, which the caller resolves. Anything else (HTML,
ReportLab's own `<para>` tags, entities, unpaired asterisks) prints as the text it is:
Paragraph parses its input as XML, so every character of stored text is escaped before the
few tags made here are added, and tags are only ever produced in matched, nested pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from . import fonts

Resolver = Callable[[str, int], list[Flowable] | None]

PLACEHOLDER = re.compile(r"\[\[(quote|table) +(\d{1,4})\]\]")
LIST_ITEM = re.compile(r"( *)-(?: (.*))?")
QUOTE_LINE = re.compile(r" {0,3}> ?(.*)")
INDENTED = re.compile(r" +\S")
# Statute subdivisions such as (a), (iv) or (13) are their own labels, and an elision
# ("....") is no item: neither gets a bullet.
ENUMERATED = re.compile(r"\((?:\d{1,3}|[a-z]{1,4}|[A-Z])\)")
BOLD_MARK = re.compile(r"\*\*")
ITALIC_MARK = re.compile(r"(?<!\*)\*(?!\*)")
FOOTNOTE = re.compile(r"\[\^([^\]\s\[]{1,8})\]")
WHITESPACE = re.compile(r"[\t\n\r]+")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

LIST_STEP = 14
QUOTE_INDENT = 20
# Hostile input can nest without end ("> > > ..." or 500 leading spaces); past these depths
# the text is printed flat instead of indenting off the page or recursing too deep.
MAX_LIST_LEVEL = 5
MAX_QUOTE_DEPTH = 3


def marker(label: str) -> str:
    """A footnote marker: Unicode superscript digits (they survive text extraction as
    “activity,³”, like the published report), or a <super> run for other labels."""
    label = fonts.printable(label)
    if label.isascii() and label.isdigit():
        return label.translate(SUPERSCRIPT)
    return f"<super>{escape(label)}</super>"


def _leaf(text: str) -> str:
    parts = FOOTNOTE.split(text)
    return "".join(
        marker(part) if index % 2 else escape(fonts.printable(part))
        for index, part in enumerate(parts)
    )


def _spans(text: str, marks: re.Pattern, opens, closes) -> list[tuple[int, int, int, int]]:
    """(open start, open end, close start, close end) of each emphasis pair, left to right.

    One pass over the delimiters instead of a lazy regex such as \\*\\*(.+?)\\*\\*, which
    rescans to the end of the text from every unmatched opener: quadratic, and seconds
    long for a pasted 20,000-character paragraph full of asterisks.
    """
    spans, opener = [], None
    for mark in marks.finditer(text):
        if opener and mark.start() > opener[1] and closes(text, mark):
            spans.append((*opener, *mark.span()))
            opener = None
        elif opens(text, mark):
            opener = mark.span()
    return spans


def _bold_opens(text, mark):
    return mark.end() < len(text) and not text[mark.end()].isspace()


def _bold_closes(text, mark):
    return not text[mark.start() - 1].isspace()


def _italic_opens(text, mark):
    before = text[mark.start() - 1] if mark.start() else " "
    return _bold_opens(text, mark) and not before.isalnum()


def _italic_closes(text, mark):
    after = text[mark.end()] if mark.end() < len(text) else " "
    return _bold_closes(text, mark) and not after.isalnum()


def _italic(text: str) -> str:
    out, position = [], 0
    for open_start, open_end, close_start, close_end in _spans(
        text, ITALIC_MARK, _italic_opens, _italic_closes
    ):
        content = text[open_end:close_start]
        out.append(_leaf(text[position:open_start]))
        # DejaVu's oblique faces lack Arabic and more; print such runs upright, not as boxes.
        if fonts.italic_gaps().search(content):
            out.append(_leaf(content))
        else:
            out.append(f"<i>{_leaf(content)}</i>")
        position = close_end
    out.append(_leaf(text[position:]))
    return "".join(out)


def inline(text: str) -> str:
    """Paragraph markup for one paragraph of our Markdown subset."""
    text = WHITESPACE.sub(" ", text or "")
    out, position = [], 0
    for open_start, open_end, close_start, close_end in _spans(
        text, BOLD_MARK, _bold_opens, _bold_closes
    ):
        out.append(_italic(text[position:open_start]))
        out.append(f"<b>{_italic(text[open_end:close_start])}</b>")
        position = close_end
    out.append(_italic(text[position:]))
    return "".join(out)


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(inline(text), style)


def _blocks(text: str) -> Iterator[tuple]:
    """Split text into ("para", text), ("item", level, text) and ("quote", text) blocks."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    buffer: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].expandtabs(4)
        quote = QUOTE_LINE.fullmatch(line)
        item = LIST_ITEM.fullmatch(line)
        if buffer and (quote or item or not line.strip()):
            yield ("para", " ".join(buffer))
            buffer = []
        if not line.strip():
            index += 1
        elif quote:
            inner = []
            while index < len(lines) and (quote := QUOTE_LINE.fullmatch(lines[index])):
                inner.append(quote.group(1))
                index += 1
            yield ("quote", "\n".join(inner))
        elif item:
            content = [item.group(2) or ""]
            index += 1
            # Indented lines that are neither items nor quotes continue the item.
            while index < len(lines) and INDENTED.match(lines[index]):
                if LIST_ITEM.fullmatch(lines[index]) or QUOTE_LINE.fullmatch(lines[index]):
                    break
                content.append(lines[index].strip())
                index += 1
            yield ("item", len(item.group(1)) // 2, " ".join(content))
        else:
            buffer.append(line.strip())
            index += 1
    if buffer:
        yield ("para", " ".join(buffer))


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


def to_flowables(
    text: str,
    style: ParagraphStyle,
    *,
    resolve: Resolver | None = None,
    prefix: str = "",
    depth: int = 0,
) -> list[Flowable]:
    """Flowables for `text`; `prefix` (markup) starts the first paragraph, e.g. a label."""
    flowables: list[Flowable] = []
    prefixed = False
    for block in _blocks(text):
        kind = block[0]
        if kind == "quote" and depth < MAX_QUOTE_DEPTH:
            inner = _derive(style, "quote", 0)
            flowables += to_flowables(block[1], inner, resolve=resolve, depth=depth + 1)
        elif kind == "item":
            level = min(block[1], MAX_LIST_LEVEL)
            content = block[2].strip()
            labelled = ENUMERATED.match(content) or not any(c.isalnum() for c in content)
            bullet = None if labelled else "•"
            flowables.append(
                Paragraph(inline(content), _derive(style, "item", level), bulletText=bullet)
            )
        else:
            placeholder = PLACEHOLDER.fullmatch(block[1].strip())
            resolved = None
            if placeholder and resolve is not None:
                resolved = resolve(placeholder.group(1), int(placeholder.group(2)))
            if resolved is not None:
                flowables += resolved
            else:
                markup = inline(block[1])
                if prefix and not flowables:
                    markup, prefixed = prefix + markup, True
                flowables.append(Paragraph(markup, style))
    if prefix and not prefixed:
        flowables.insert(0, Paragraph(prefix, style))
    return flowables
