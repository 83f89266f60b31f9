"""Geometry of the dashboard's bar charts, for inline SVG drawn by a template.

Server-side and dependency-free: the page needs no JavaScript and reads the same with a
screen reader (the template prints the counts as text too).
"""

from __future__ import annotations

TOP, BOTTOM, SIDE = 22, 28, 12  # margins: counts above the bars, labels below
BAR_SHARE = 0.6  # of each bar's slot; the rest is the gap between bars


def bar_chart(title: str, bars: list[tuple[str, int]], *, width=320, height=180) -> dict:
    """A vertical bar chart of (label, count) pairs, scaled to the highest count."""
    plot_height = height - TOP - BOTTOM
    slot = (width - 2 * SIDE) / max(len(bars), 1)
    bar_width = slot * BAR_SHARE
    highest = max((count for _, count in bars), default=0) or 1
    drawn = []
    for index, (label, count) in enumerate(bars):
        bar_height = round(plot_height * count / highest, 1)
        x = round(SIDE + index * slot + (slot - bar_width) / 2, 1)
        y = round(TOP + plot_height - bar_height, 1)
        drawn.append(
            {
                "label": label,
                "count": count,
                "x": x,
                "y": y,
                "width": round(bar_width, 1),
                "height": bar_height,
                "center": round(x + bar_width / 2, 1),
                "count_y": round(y - 5, 1),
            }
        )
    summary = ", ".join(f"{label}: {count}" for label, count in bars)
    return {
        "title": title,
        "description": f"{title}. {summary}.",
        "width": width,
        "height": height,
        "baseline": TOP + plot_height,
        "label_y": height - 9,
        "bars": drawn,
    }
