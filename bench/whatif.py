"""The what-if simulator: a scenario setting all 40 goals of Mississippi on the full sample.

    .venv/bin/python bench/whatif.py [--db sqlite|postgres] [--runs 30] [--name NAME]

Target: < 50 ms per scenario (it reads the cycle's approved inputs and scores all 51
jurisdictions, like the recompute, but writes nothing). Baseline in the same run: a full
`cycle_recompute` of the same cycle.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal

import setup_env

TARGET_MS = 50.0


def scenario(goals) -> dict:
    """Every goal set: fully met, partially met at half its maximum (in 0.25 steps), not met."""
    from assessments.scoring import POINT_STEP, Status
    from assessments.whatif import GoalSetting

    settings = {}
    for index, (number, maximum) in enumerate(goals):
        if index % 3 == 0:
            settings[number] = GoalSetting(Status.FULLY_MET)
        elif index % 3 == 1 and maximum > POINT_STEP:
            half = (maximum / 2 / POINT_STEP).to_integral_value() * POINT_STEP
            settings[number] = GoalSetting(Status.PARTIALLY_MET, max(half, POINT_STEP))
        else:
            settings[number] = GoalSetting(Status.NOT_MET)
    return settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=setup_env.DATABASES, default="sqlite")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--name", default="whatif", help="suffix of the database name")
    args = parser.parse_args()
    setup_env.setup(args.db, args.name)

    from assessments.models import Cycle, PolicyGoal
    from assessments.recompute import cycle_recompute
    from assessments.whatif import what_if

    cycle = Cycle.objects.select_related("framework").get(year=2023)
    goals = list(
        PolicyGoal.objects.filter(framework=cycle.framework)
        .order_by("ordering")
        .values_list("number", "max_points")
    )
    settings = scenario([(number, Decimal(maximum)) for number, maximum in goals])
    simulated = setup_env.measure(lambda: what_if(cycle, "MS", settings), runs=args.runs, warmup=3)
    recompute = setup_env.measure(
        lambda: cycle_recompute(cycle_id=cycle.id), runs=args.runs, warmup=3
    )
    passed = simulated.median_ms < TARGET_MS
    setup_env.print_table(
        ["database", "measure", "goals set", "median ms", "min ms", "x recompute", "target", "ok"],
        [
            [
                setup_env.engine_label(args.db),
                "what_if MS",
                len(settings),
                f"{simulated.median_ms:.1f}",
                f"{simulated.min_ms:.1f}",
                f"x{simulated.median_ms / recompute.median_ms:.2f}",
                f"< {TARGET_MS:.0f} ms",
                setup_env.verdict(passed),
            ],
            [
                setup_env.engine_label(args.db),
                "cycle_recompute",
                "",
                f"{recompute.median_ms:.1f}",
                f"{recompute.min_ms:.1f}",
                "x1.00",
                "",
                "",
            ],
        ],
        title=f"what-if of all {len(settings)} goals on the 2023 sample (51 jurisdictions): "
        f"median and min of {args.runs} runs after 3 warm-up runs; {setup_env.machine()}",
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
