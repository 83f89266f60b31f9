"""Mississippi's report card PDF: ReportLab (the app) against a WeasyPrint baseline.

    .venv/bin/python bench/pdf.py [--runs 4] [--rounds 3] [--db sqlite|postgres]

Both render the same report card from the same data (report_card_data): ReportLab through
render_report_card, WeasyPrint the card's HTML edition (reportcards/edition.py, the page
stored beside every published PDF, printed with its own print CSS). Each engine
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

import setup_env

TARGET_S = 0.3
TARGET_RATIO = 5.0
ENGINES = ("reportlab", "reportlab-no-accel", "weasyprint")


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
    from weasyprint import HTML

    from reportcards.edition import render_edition
    from reportcards.pdf.data import report_card_data

    def render(assessment) -> bytes:
        html = render_edition(report_card_data(assessment))
        return HTML(string=html, base_url=str(setup_env.ROOT)).write_pdf()

    return render, None


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
    "weasyprint": "WeasyPrint baseline (the HTML edition)",
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
