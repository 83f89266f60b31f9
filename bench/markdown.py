"""Narrative rendering on adversarial input: linear time up to the narrative limit.

    .venv/bin/python bench/markdown.py [--runs 3]

Each input is built at 1x (about the 20,000-character limit of a narrative) and 10x that
size, and rendered by both renderers of the narrative format (the HTML of the preview and
the ReportLab flowables of the PDF, without laying out pages). Printed: the best time of
each size and the ratio. Linear means a ratio of about 10; quadratic work would show
about 100. Target: every ratio at most 15.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportcards.settings")

import django  # noqa: E402

django.setup()

from reportlab.lib.styles import ParagraphStyle  # noqa: E402

from assessments.document import NARRATIVE_MAX_CHARS  # noqa: E402
from core.narrative_html import render_html  # noqa: E402
from reportcards.pdf import markup  # noqa: E402

TARGET_RATIO = 15


def repeated(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


INPUTS = {
    "inline *a* emphasis": lambda n: repeated("*a* ", n),
    "unclosed *a openers": lambda n: repeated("*a ", n),
    "**x *y floods": lambda n: repeated("**x *y ", n),
    "[^1] footnote marks": lambda n: repeated("[^1]", n),
    "unclosed [ brackets": lambda n: repeated("[", n),
    "[x]( unclosed links": lambda n: repeated("[x](", n),
    "> > > deep quotes": lambda n: repeated("> ", n) + "x",
    "long bullet list": lambda n: repeated("- item\n", n),
    "nested list steps": lambda n: "".join(
        "  " * (i % 6) + "- item\n" for i in range(max(1, n // 12))
    ),
    "[[quote N]] paragraphs": lambda n: repeated("[[quote 1]]\n\n", n),
    "<b> tags and &amp;": lambda n: repeated("<b>x</b> &amp; ", n),
    "backslash escapes": lambda n: repeated("\\*\\[", n),
}


def best_time(render, text: str, runs: int) -> float:
    """The best of `runs`, with the garbage collector paused as timeit does: its full
    collections scale with everything alive in the process, not with this input."""
    times = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            render(text)
            times.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return min(times)


def both(text: str) -> None:
    render_html(text)
    markup.to_flowables(text, ParagraphStyle("body"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    size = NARRATIVE_MAX_CHARS
    print(f"{'input':26} {'1x (s)':>9} {'10x (s)':>9} {'ratio':>6}")
    worst = 0.0
    for name, build in INPUTS.items():
        small = best_time(both, build(size), options.runs)
        large = best_time(both, build(size * 10), options.runs)
        ratio = large / small if small else 0.0
        worst = max(worst, ratio)
        print(f"{name:26} {small:9.4f} {large:9.4f} {ratio:6.1f}")
    verdict = "ok" if worst <= TARGET_RATIO else "OVER TARGET"
    print(f"worst ratio {worst:.1f} (target at most {TARGET_RATIO}): {verdict}")
    return 0 if worst <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
