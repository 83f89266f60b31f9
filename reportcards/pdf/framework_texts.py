"""The texts of the cycle's framework as printed (assessments/framework_document.py,
FrameworkTexts): a framework that has no such text prints nothing in its place."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from assessments.framework_document import Resource

from . import markup


def paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    return markup.to_flowables(text, style) if text else []


def resource(item: Resource, style: ParagraphStyle, label: ParagraphStyle) -> list[Flowable]:
    """A resource or call to action in its layout, under its heading if it opens a group."""
    story: list[Flowable] = []
    if item.heading:
        story.append(Paragraph(escape(item.heading), label))
    title = item.title.upper() if item.layout == "run_in" else item.title
    if item.url:  # the title links to the resource, as the address in its text does
        title = f"[{title}]({item.url})"
    if item.layout == "run_in":
        return [*story, markup.paragraph(f"**{title}:** {item.text}", style)]
    if item.layout == "titled":
        story.append(markup.paragraph(f"**{title}**", style))
    return story + paragraphs(item.text, style)
