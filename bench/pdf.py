"""Mississippi's report card PDF: ReportLab (the app) against a WeasyPrint baseline.

    .venv/bin/python bench/pdf.py [--runs 4] [--rounds 3] [--db sqlite|postgres]

Both render the same report card from the same data (report_card_data): ReportLab through
render_report_card, WeasyPrint from bench/templates/report_card.html with the narratives,
quotes, tables and footnotes rendered by the app's own Markdown-to-HTML code. Each engine
runs in a fresh process of its own, so peak memory is comparable: tracemalloc's peak of
one render (Python allocations only) and the process's peak RSS (which also counts
Pango's C allocations, which tracemalloc cannot see). ReportLab is also run without
the rl_accel C extension. The renderers take turns in rounds, so that a busy spell on
the (shared, noisy) machine does not fall on one of them only.
Targets: ReportLab median < 0.3 s, at least 5x faster than WeasyPrint, lower peak memory.
WeasyPrint is a bench extra: where it is not installed, only ReportLab is measured and
the comparisons with it are left out.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import setup_env

TARGET_S = 0.3
TARGET_RATIO = 5.0
ENGINES = ("reportlab", "reportlab-no-accel", "weasyprint")
TEMPLATES = Path(__file__).resolve().parent / "templates"


def available_engines() -> tuple[str, ...]:
    if importlib.util.find_spec("weasyprint") is None:
        return ENGINES[:2]
    return ENGINES


def reportlab_renderer():
    from reportlab.lib.rl_accel import fp_str

    from reportcards.pdf import render_report_card

    # rl_accel exports the C extension's functions when it loads, else Python fallbacks.
    return render_report_card, inspect.isbuiltin(fp_str)


def weasyprint_renderer():
    from django.template import Context, Engine
    from weasyprint import HTML

    from reportcards.pdf.data import report_card_data

    template = Engine(dirs=[str(TEMPLATES)], autoescape=True).get_template("report_card.html")

    def render(assessment) -> bytes:
        card = report_card_data(assessment)
        html = template.render(Context(html_context(card)))
        return HTML(string=html, base_url=str(setup_env.ROOT)).write_pdf()

    return render, None


def html_context(card) -> dict:
    """The template's context: the card plus every Markdown field rendered to safe HTML."""
    from assessments.markdown import render_narrative as md
    from assessments.scoring import fmt, ordinal, tier_label
    from reportcards.pdf import texts
    from reportcards.pdf.analysis import APPROPRIATIONS_GOAL
    from reportcards.pdf.sections import grade_scale

    def goal_context(goal):
        citations = [
            SimpleNamespace(
                statute=SimpleNamespace(citation=q.citation, caption=q.caption),
                pinpoint=q.pinpoint,
                quote=q.text,
            )
            for q in goal.quotes
        ]
        return {
            "goal": goal,
            "narrative": md(goal.narrative, citations=citations, tables=goal.tables),
            "appropriations": card.appropriations if goal.number == APPROPRIATIONS_GOAL else (),
            "recommendations": [md(text) for text in goal.recommendations],
            "insights": [(md(i.text), i.label) for i in goal.insights],
            "awards": [(a.label, md(a.text)) for a in goal.awards],
            "footnotes": [(n.label, md(n.text)) for n in goal.footnotes],
        }

    summaries = {line.code: line.summary for line in card.extra_credit}
    framework_texts = card.framework.texts
    return {
        "card": card,
        "texts": texts,
        "framework_texts": framework_texts,
        "numbers": {
            "total": fmt(card.total),
            "total_max": fmt(card.framework.total_max),
            "base_max": fmt(card.framework.base_max),
            "per_goal": fmt(card.framework.points_per_goal or 0),
            "extra_credit_cap": fmt(card.framework.extra_credit_cap),
        },
        "css": {
            "running_title": css_string(f"{card.year} Report Card · {card.jurisdiction}"),
            "title": css_string(texts.TITLE),
            "synthetic_notice": css_string(texts.SYNTHETIC_NOTICE.format(name=card.jurisdiction)),
        },
        "grade_scale": grade_scale(card),
        "middle_tier": max(card.jurisdiction_count - 20, 0),
        "tier_name": tier_label(card.tier).upper(),
        "rank_label": f"RANKED {ordinal(card.rank).upper()}{' (TIE)' if card.tied else ''}",
        "chart_svg": chart_svg(card.issues),
        "issues": [
            {
                "issue": issue,
                "score": fmt(issue.score),
                "max": fmt(issue.max),
                "summary": md(issue.summary),
                "goals": [goal_context(goal) for goal in issue.goals],
            }
            for issue in card.issues
        ],
        "extra_credit": [
            {"line": line, "points": fmt(line.points), "summary": md(summaries[line.code])}
            for line in card.extra_credit
        ],
        "safe_harbor_goals": [goal for goal in card.goals if goal.safe_harbor],
        "appendix": [
            {
                "title": group.title,
                "items": [
                    {
                        "item": item,
                        "text": md(item.text),
                        "footnotes": [(n.label, md(n.text)) for n in item.footnotes],
                    }
                    for item in group.items
                ],
            }
            for group in card.appendix
        ],
        "html": {
            "history_intro": md(framework_texts.history_intro),
            "historical_background": md(card.historical_background),
            "shift_in_focus": md(framework_texts.shift_in_focus),
            "tiers_intro": md(framework_texts.tiers_intro),
            "grades_basis": md(texts.GRADES_BASIS),
            "highlights": [md(text) for text in card.highlights],
            "safe_harbor_status": md(card.safe_harbor_status),
            "safe_harbor_what": md(texts.SAFE_HARBOR_WHAT),
            "safe_harbor_why": md(texts.SAFE_HARBOR_WHY),
            "safe_harbor_laws": md(texts.SAFE_HARBOR_LAWS),
            "safe_harbor_summary": md(card.safe_harbor_summary),
            "safe_harbor_resources": [
                md(f"**{item.title.upper()}:** {item.text}")
                for item in framework_texts.safe_harbor_resources
            ],
            "analysis_intro": md(
                texts.ANALYSIS_INTRO.format(
                    name=card.jurisdiction, marker="[^1]" if card.analysis_footnote else ""
                )
            ),
            "analysis_guide": md(framework_texts.analysis_guide),
            "analysis_footnote": md(card.analysis_footnote),
            "resources": [
                {
                    "heading": item.heading,
                    "layout": item.layout,
                    "title": item.title,
                    "text": md(
                        f"**{item.title.upper()}:** {item.text}"
                        if item.layout == "run_in"
                        else item.text
                    ),
                }
                for item in (*framework_texts.resources, *framework_texts.calls_to_action)
            ],
        },
    }


def css_string(text: str) -> str:
    """A quoted CSS string for the page margins (a <style> element is not HTML-escaped)."""
    from django.utils.safestring import mark_safe

    quoted = "".join(c if c.isalnum() or c in " .,:·’&-" else f"\\{ord(c):x} " for c in text)
    return mark_safe(f'"{quoted}"')  # noqa: S308 - every other character is a CSS escape


def chart_svg(issues) -> str:
    """The report card's bar chart (score over maximum per issue area) as inline SVG."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from assessments.scoring import fmt

    colours = {"A": "#2e7d32", "B": "#4f7f2a", "C": "#a35f00", "D": "#c0571b", "F": "#b03a2e"}
    width, label, bar_space, row = 330, 118, 154, 13
    scale = float(max((issue.max for issue in issues), default=1) or 1)
    height = row * len(issues) + 26
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans" font-size="7.5">',
        '<text x="0" y="10" font-weight="bold" font-size="8" fill="#1f3a5f">'
        "POINTS BY ISSUE AREA (score of maximum)</text>",
    ]
    for index, issue in enumerate(issues):
        y = 20 + index * row
        full = float(issue.max) / scale * bar_space
        score = float(min(issue.score, issue.max)) / scale * bar_space
        parts += [
            f'<text x="0" y="{y + 7}">{escape(f"{issue.number}. {issue.short_title}"[:30])}</text>',
            f'<rect x="{label}" y="{y}" width="{full:.1f}" height="8.5" fill="#eef2f6" '
            'stroke="#c5cfdb" stroke-width="0.6"/>',
            f'<rect x="{label}" y="{y}" width="{score:.1f}" height="8.5" '
            f'fill="{colours.get(issue.grade, "#1f3a5f")}"/>',
            f'<text x="{label + full + 6:.1f}" y="{y + 7}" fill="#5f6b7a">'
            f"{fmt(issue.score)} / {fmt(issue.max)}  {issue.grade}</text>",
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built here from escaped text and numbers


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure_engine(engine: str, runs: int, traced: bool) -> dict:
    """In a fresh process: time `runs` renders of Mississippi after a warm-up render, then
    (if `traced`) one more under tracemalloc."""
    if engine == "reportlab-no-accel":
        sys.modules["_rl_accel"] = None  # ReportLab falls back to its pure-Python functions
    setup_env.attach()
    from pypdf import PdfReader

    from assessments.models import Assessment

    assessment = Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023)
    render, accelerated = weasyprint_renderer() if engine == "weasyprint" else reportlab_renderer()
    rss_before = rss_mb()
    pdf = render(assessment)  # warm-up: fonts, templates, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render(assessment)
        times.append(time.perf_counter() - start)
    rss_peak = rss_mb()
    traced_peak = None
    if traced:
        tracemalloc.start()
        render(assessment)
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {
        "accelerated": accelerated,
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "bytes": len(pdf),
        "times": times,
        "traced_peak_mb": traced_peak,
        "rss_peak_mb": rss_peak,
        "rss_growth_mb": rss_peak - rss_before,
    }


def combine(rounds: list[dict]) -> dict:
    """One engine's rounds: median and min over all renders, the worst memory figures."""
    times = [t for r in rounds for t in r["times"]]
    return {
        **rounds[0],
        "median": statistics.median(times),
        "min": min(times),
        "runs": len(times),
        "traced_peak_mb": next(r["traced_peak_mb"] for r in rounds if r["traced_peak_mb"]),
        "rss_peak_mb": max(r["rss_peak_mb"] for r in rounds),
        "rss_growth_mb": max(r["rss_growth_mb"] for r in rounds),
    }


ENGINE_NAMES = {
    "reportlab": "ReportLab (app), rl_accel {}",
    "reportlab-no-accel": "ReportLab, rl_accel {}",
    "weasyprint": "WeasyPrint baseline (HTML template)",
}


def engine_row(engine: str, r: dict) -> list:
    is_app = engine == "reportlab"
    accel = "on" if r["accelerated"] else ("OFF" if is_app else "off")
    return [
        ENGINE_NAMES[engine].format(accel),
        r["pages"],
        f"{r['bytes'] / 1024:.0f}",
        f"{r['median'] * 1000:.1f}",
        f"{r['min'] * 1000:.1f}",
        f"{r['traced_peak_mb']:.1f}",
        f"{r['rss_peak_mb']:.0f}",
        f"{r['rss_growth_mb']:.0f}",
        f"< {TARGET_S * 1000:.0f} ms" if is_app else "",
        setup_env.verdict(r["median"] < TARGET_S) if is_app else "",
    ]


def ratios(results: dict[str, dict]) -> list[tuple[str, float, str, bool | None]]:
    """(name, value, target, met) of each comparison the measured engines allow."""
    rl = results["reportlab"]
    rows = [
        (
            "ReportLab without / with rl_accel",
            results["reportlab-no-accel"]["median"] / rl["median"],
            "",
            None,
        )
    ]
    weasy = results.get("weasyprint")
    if weasy is None:
        return rows
    speed = weasy["median"] / rl["median"]
    traced = weasy["traced_peak_mb"] / rl["traced_peak_mb"]
    rss = weasy["rss_growth_mb"] / max(rl["rss_growth_mb"], 0.1)
    return [
        (
            "WeasyPrint time / ReportLab time",
            speed,
            f">= x{TARGET_RATIO:.0f}",
            speed >= TARGET_RATIO,
        ),
        ("WeasyPrint / ReportLab traced peak", traced, "> x1", traced > 1),
        ("WeasyPrint / ReportLab RSS growth", rss, "> x1", rss > 1),
        *rows,
    ]


def report(results: dict[str, dict]) -> bool:
    rl = results["reportlab"]
    setup_env.print_table(
        [
            "renderer",
            "pages",
            "KiB",
            "median ms",
            "min ms",
            "traced peak MiB",
            "peak RSS MiB",
            "RSS growth MiB",
            "target",
            "result",
        ],
        [engine_row(engine, r) for engine, r in results.items()],
        title=f"Mississippi 2023 report card PDF: median and min of {rl['runs']} renders per "
        "renderer, in fresh processes taking turns, each after a warm-up render; "
        + setup_env.machine(),
    )
    if "weasyprint" not in results:
        print("WeasyPrint is not installed: the comparisons with it are left out.")
    checks = ratios(results)
    setup_env.print_table(
        ["ratio", "value", "target", "result"],
        [
            [name, f"x{value:.2f}", target, "" if ok is None else setup_env.verdict(ok)]
            for name, value, target, ok in checks
        ],
        title="Ratios measured in this run",
    )
    return rl["median"] < TARGET_S and all(ok for *_, ok in checks if ok is not None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4, help="renders per round and engine")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", choices=setup_env.DATABASES, default="sqlite")
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)  # child process
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(measure_engine(args.engine, args.runs, args.traced)))
        return 0
    url = setup_env.setup(args.db, "pdf")
    from django.db import connections

    connections.close_all()
    rounds = {engine: [] for engine in available_engines()}
    # Engines take turns, round after round, so a busy spell on the machine falls on all.
    for number in range(args.rounds):
        for engine in rounds:
            command = [sys.executable, __file__, "--engine", engine, "--runs", str(args.runs)]
            child = subprocess.run(
                command + (["--traced"] if number == 0 else []),
                check=True,
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, "BENCH_DATABASE_URL": url},
            )
            rounds[engine].append(json.loads(child.stdout.strip().splitlines()[-1]))
    return 0 if report({engine: combine(r) for engine, r in rounds.items()}) else 1


if __name__ == "__main__":
    sys.exit(main())
