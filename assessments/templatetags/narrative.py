"""`{{ text|narrative }}`: any goal text through the one sanitising renderer of the
narrative format (core/narrative_html.py), as the PDF prints it."""

from django import template

from assessments.markdown import render_text

register = template.Library()


@register.filter
def narrative(value) -> str:
    return render_text(str(value or ""))
