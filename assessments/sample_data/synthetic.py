"""Labelled synthetic demo assessments for the 50 jurisdictions other than Mississippi.

Only Mississippi's 2023 report card is real (the seed). The other 50 report cards exist so
that ranks, tiers and national facts ("one of only 8 states ...") have a field to be
computed against. They are made up, say so in every text they carry, and are built so that
the scoring rules (assessments/scoring.py) reproduce the published 2023 national picture:
Tennessee the only A, Florida a B, Minnesota, California and Washington Cs, 32 Fs, a
national average of 57.9, Mississippi ranked 10th (tie), goal 3.2 fully met in 8
jurisdictions and goal 2.5 in 30.

How: every jurisdiction first gets a target total (multiples of 0.25, fixed below), then a
seeded random profile of 40 goal statuses plus extra credit that adds up to it exactly.
All arithmetic is in whole quarter points (ints) and Decimal, never floats, and every
random choice comes from seeded `random.Random` instances over sorted inputs, so the
output is the same on every run whatever the dict order or PYTHONHASHSEED.

Pure Python: no Django, so it can be unit-tested and reused by `load_sample_data`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from assessments import scoring

SEED = 2023
CYCLE = 2023
QUARTER = Decimal("0.25")
SYNTHETIC_LABEL = "Synthetic demo data"

# Totals the published 2023 report cards give these jurisdictions a grade for:
# Tennessee the only A, Florida a B, Minnesota, California and Washington Cs.
ANCHOR_TOTALS = {
    "TN": Decimal("94.50"),
    "FL": Decimal("86.25"),
    "MN": Decimal("77.00"),
    "CA": Decimal("74.50"),
    "WA": Decimal("72.25"),
}

# The rest of the field, dealt to the other jurisdictions by a seeded shuffle. With the
# anchors, Mississippi (68.5) and one jurisdiction tied with Mississippi, these give
# 9 totals above Mississippi (so it ranks 10th, tied), 8 Ds, exactly 32 Fs, and a sum of
# 2953.25, a national average of 57.91.
OTHER_TOTALS = tuple(
    Decimal(total)
    for total in (
        # Above Mississippi, below a B.
        "71.50", "70.25", "69.75", "69.00",
        # Ds.
        "67.75", "66.50", "65.25", "64.50", "63.75", "62.25", "61.50", "60.25",
        # Fs: most in the 50s, some in the 40s and 30s, two lower.
        "24.25", "31.00", "35.50", "38.25", "40.50", "42.75", "44.00", "45.50",
        "46.75", "48.00", "49.00", "49.75", "50.50", "51.75", "52.50", "53.25",
        "54.00", "54.50", "55.25", "55.50", "56.00", "56.50", "57.00", "57.25",
        "57.75", "58.00", "58.25", "58.75", "59.00", "59.25", "59.50", "59.75",
    )
)  # fmt: skip

# National facts the seed prints: "One of only 8 states to require a specialized
# multi-disciplinary response" (3.2) and "One of 30 states that statutorily prohibit the
# criminalization of minors for prostitution" (2.5). Counts include Mississippi.
NATIONAL_FULLY_MET = {"3.2": 8, "2.5": 30}

# Short names of what each goal is about, in the words of the seed's issue summaries.
GOAL_TOPICS = {
    "1.1": "buyer accountability under the trafficking law",
    "1.2": "buyer accountability under state CSEC laws",
    "1.3": "trafficker accountability under state CSEC laws",
    "1.4": "mistake of age defenses",
    "1.5": "decoy defenses",
    "1.6": "business entity liability under the trafficking law",
    "1.7": "financial penalties",
    "2.1": "third party control",
    "2.2": "foreign national victims",
    "2.3": "screening through child welfare",
    "2.4": "screening through the juvenile justice system",
    "2.5": "non-criminalization for prostitution offenses",
    "2.6": "expanded non-criminalization",
    "2.7": "non-criminalization for sex trafficking offenses",
    "2.8": "affirmative defenses to violent felonies",
    "2.9": "juvenile court jurisdiction",
    "2.10": "child abuse definitions",
    "2.11": "non-caregiver trafficking cases",
    "3.1": "community-based services",
    "3.2": "MDT responses",
    "3.3": "services through child welfare",
    "3.4": "services through the juvenile justice system",
    "3.5": "extended foster care services",
    "3.6": "appropriations",
    "4.1": "civil orders of protection",
    "4.2": "crime victims' compensation",
    "4.3": "vacatur",
    "4.4": "restitution",
    "4.5": "civil remedies",
    "4.6": "statutes of limitation",
    "5.1": "hearsay exceptions",
    "5.2": "alternatives to live, in-court testimony",
    "5.3": "victim-witness supports",
    "5.4": "privileged communications",
    "6.1": "training for child welfare",
    "6.2": "training for juvenile justice agencies",
    "6.3": "training for law enforcement",
    "6.4": "training for prosecutors",
    "6.5": "training for school personnel",
    "6.6": "prevention education in schools",
}

NARRATIVES = {
    scoring.Status.FULLY_MET: (
        "This placeholder shows the goal on {topic} as fully met.",
        "In this made-up profile the law on {topic} meets the goal in full.",
    ),
    scoring.Status.PARTIALLY_MET: (
        "This placeholder gives partial credit ({points} of {max} points) on {topic}.",
        "In this made-up profile the law on {topic} meets the goal only in part "
        "({points} of {max} points).",
    ),
    scoring.Status.NOT_MET: (
        "This placeholder shows no credit on {topic}.",
        "In this made-up profile the law leaves the gap on {topic} open.",
    ),
}


@dataclass(frozen=True)
class Goal:
    number: str
    issue: int
    max_points: Decimal
    safe_harbor: bool
    opportunities: Mapping[str, Decimal]  # extra-credit category -> max points
    topic: str

    @property
    def max_units(self) -> int:
        return to_units(self.max_points)


@dataclass(frozen=True)
class Profile:
    """One jurisdiction's made-up result, in quarter points."""

    goal_units: Mapping[str, int]
    awards: tuple[tuple[str, str, int], ...]  # (goal, category, units)


# Public API ------------------------------------------------------------------------------


def generate_synthetic_assessments(
    framework: dict, jurisdictions: list[dict], mississippi: dict
) -> list[dict]:
    """Synthetic assessments, in import format, for every jurisdiction but Mississippi.

    Sorted by jurisdiction code. Raises ValueError if the jurisdictions do not leave
    exactly the 50 this field of target totals was made for.
    """
    goals = framework_goals(framework)
    names = {row["code"]: row["name"] for row in jurisdictions}
    mississippi_code = mississippi["jurisdiction"]
    codes = sorted(code for code in names if code != mississippi_code)
    national = random.Random(SEED)
    prevalence = goal_prevalence(goals, national)
    targets = target_totals(codes, assessment_score(mississippi, framework).total, national)
    fixed = fixed_goal_statuses(targets, mississippi, national)
    return [
        synthetic_assessment(
            framework, goals, code, names[code], targets[code], fixed[code], prevalence
        )
        for code in codes
    ]


def assessment_score(assessment: dict, framework: dict) -> scoring.AssessmentScore:
    """Score an import-format assessment with the rules of assessments/scoring.py."""
    goals = {goal.number: goal for goal in framework_goals(framework)}
    goal_inputs = []
    award_inputs = []
    for row in assessment["determinations"]:
        goal = goals[row["goal"]]
        # YAML may hold points as numbers or leave a fixed-points goal blank.
        points = Decimal(str(row["points"])) if row.get("points") not in (None, "") else None
        goal_inputs.append(
            scoring.GoalInput(goal.number, goal.issue, row["status"], points, goal.max_points)
        )
        for award in row.get("extra_credit", []):
            award_inputs.append(
                scoring.AwardInput(
                    category=award["category"],
                    points=Decimal(str(award["points"])),
                    max_points=goal.opportunities[award["category"]],
                )
            )
    return scoring.score_assessment(
        goal_inputs,
        award_inputs,
        extra_credit_categories(framework),
        extra_credit_cap(framework),
        grading_scale(framework),
    )


# The framework ---------------------------------------------------------------------------


def framework_goals(framework: dict) -> list[Goal]:
    """The framework's goals in framework order."""
    default_max = Decimal(str(framework["points_per_goal"]))
    return [
        Goal(
            number=str(goal["number"]),
            issue=int(area["number"]),
            max_points=Decimal(str(goal.get("max_points", default_max))),
            safe_harbor=bool(goal.get("safe_harbor", False)),
            opportunities={
                category: Decimal(str(points))
                for category, points in sorted((goal.get("extra_credit") or {}).items())
            },
            topic=GOAL_TOPICS.get(str(goal["number"]), f"policy goal {goal['number']}"),
        )
        for area in framework["issue_areas"]
        for goal in area["goals"]
    ]


def extra_credit_categories(framework: dict) -> list[str]:
    return [category["code"] for category in framework["extra_credit_categories"]]


def extra_credit_cap(framework: dict) -> Decimal:
    return Decimal(str(framework["extra_credit_cap"]))


def grading_scale(framework: dict) -> scoring.GradingScale:
    return scoring.GradingScale.from_rows(framework["grading_scale"])


def to_units(points: Decimal) -> int:
    units = points / QUARTER
    if units != units.to_integral_value():
        raise ValueError(f"{points} is not a whole number of quarter points.")
    return int(units)


def to_points(units: int) -> str:
    return f"{units * QUARTER:.2f}"


# The national field ----------------------------------------------------------------------


def goal_prevalence(goals: Sequence[Goal], rng: random.Random) -> dict[str, float]:
    """How common meeting each goal is across the made-up field.

    One weight per goal for the whole country, so that profiles share a national shape
    (some goals met almost everywhere, some rarely) instead of being uniform noise.
    """
    return {goal.number: rng.uniform(0.15, 1.0) for goal in goals}


def target_totals(
    codes: Sequence[str], mississippi_total: Decimal, rng: random.Random
) -> dict[str, Decimal]:
    """Deal the fixed field of totals to the jurisdictions, anchors first.

    One jurisdiction is dealt Mississippi's own total, so that Mississippi's 10th place is
    shared as in the published report card.
    """
    others = [code for code in codes if code not in ANCHOR_TOTALS]
    missing = sorted(set(ANCHOR_TOTALS) - set(codes))
    field = [*OTHER_TOTALS, mississippi_total]
    if missing or len(others) != len(field):
        raise ValueError(
            f"Expected the {len(ANCHOR_TOTALS) + len(field)} jurisdictions other than "
            f"Mississippi, including {', '.join(ANCHOR_TOTALS)}; got {len(codes)}"
            + (f", missing {', '.join(missing)}." if missing else ".")
        )
    rng.shuffle(field)
    return {**ANCHOR_TOTALS, **dict(zip(others, field, strict=True))}


def fixed_goal_statuses(
    targets: Mapping[str, Decimal], mississippi: dict, rng: random.Random
) -> dict[str, dict[str, bool]]:
    """Which jurisdictions fully meet the goals with a published national count.

    Returns code -> goal -> fully met or not. The count still to give out is the national
    count less Mississippi's own; stronger jurisdictions are likelier to be picked.
    """
    mississippi_statuses = {row["goal"]: row["status"] for row in mississippi["determinations"]}
    codes = sorted(targets)
    fixed: dict[str, dict[str, bool]] = {code: {} for code in codes}
    for goal, national_count in sorted(NATIONAL_FULLY_MET.items()):
        wanted = national_count - (mississippi_statuses.get(goal) == scoring.Status.FULLY_MET)
        chosen = weighted_sample(
            codes, {code: float(targets[code]) ** 2 for code in codes}, wanted, rng
        )
        for code in codes:
            fixed[code][goal] = code in chosen
    return fixed


def weighted_sample(
    items: Sequence[str], weights: Mapping[str, float], count: int, rng: random.Random
) -> set[str]:
    """`count` items without replacement, each likelier the heavier it is.

    Efraimidis-Spirakis: keep the items with the largest random() ** (1 / weight).
    """
    ranked = weighted_order(items, weights, rng)
    return set(ranked[:count])


def weighted_order(
    items: Sequence[str], weights: Mapping[str, float], rng: random.Random
) -> list[str]:
    keys = {item: rng.random() ** (1 / weights[item]) for item in items}
    return sorted(items, key=lambda item: (-keys[item], item))


# One jurisdiction's profile --------------------------------------------------------------


def build_profile(
    goals: Sequence[Goal],
    target_units: int,
    fixed: Mapping[str, bool],
    prevalence: Mapping[str, float],
    cap_units: int,
    rng: random.Random,
) -> Profile:
    """Goal points and extra credit adding up to exactly `target_units`.

    Extra credit is tried at a preferred amount first (stronger jurisdictions tend to
    extend more protections to 18+ youth and labor trafficking victims); if the goals
    cannot carry the rest, or the goals met offer too few opportunities, nearby amounts
    are tried instead, down to none.
    """
    strength = target_units / (len(goals) * 10)
    preferred = min(cap_units, round(rng.uniform(0.2, 1.0) * strength * cap_units))
    candidates = [*range(preferred, -1, -1), *range(preferred + 1, cap_units + 1)]
    for extra_units in candidates:
        goal_units = goal_units_for(goals, target_units - extra_units, fixed, prevalence, rng)
        if goal_units is None:
            continue
        opportunities = met_opportunities(goals, goal_units)
        if sum(units for _, _, units in opportunities) >= extra_units:
            return Profile(goal_units, award_extra_credit(opportunities, extra_units, rng))
    raise ValueError(f"No profile adds up to {to_points(target_units)} points.")


def goal_units_for(
    goals: Sequence[Goal],
    base_units: int,
    fixed: Mapping[str, bool],
    prevalence: Mapping[str, float],
    rng: random.Random,
) -> dict[str, int] | None:
    """Quarter points per goal summing to `base_units`; None if no split is possible.

    Goals fixed as fully met score their maximum; goals fixed as not fully met may still
    earn partial credit. The rest are ranked by national prevalence: the first become
    fully met, the next partially met, the rest not met.
    """
    units = {goal.number: 0 for goal in goals}
    for goal in goals:
        if fixed.get(goal.number):
            units[goal.number] = goal.max_units
    free = [goal for goal in goals if not fixed.get(goal.number)]
    remaining = base_units - sum(units.values())
    split = choose_split(free, remaining, fixed, rng)
    if split is None:
        return None
    fully_count, partial_count = split
    ranked = weighted_order([goal.number for goal in free], prevalence, rng)
    max_units = {goal.number: goal.max_units for goal in free}
    fully = [number for number in ranked if number not in fixed][:fully_count]
    partial = [number for number in ranked if number not in fully][:partial_count]
    for number in fully:
        units[number] = max_units[number]
    partial_units = remaining - sum(max_units[number] for number in fully)
    for number, value in zip(
        partial, split_partial_units(partial_units, partial, max_units, rng), strict=True
    ):
        units[number] = value
    return units


def choose_split(
    free: Sequence[Goal], remaining: int, fixed: Mapping[str, bool], rng: random.Random
) -> tuple[int, int] | None:
    """How many free goals are fully met and how many partially met to reach `remaining`.

    Partial credit must lie strictly between 0 and the maximum, so k partial goals can
    carry between k and k × (max - 1) quarter points. Among the splits that work, prefer a
    partial count near a random one (Mississippi has 11) and partial credit near half.
    """
    if not free:
        return (0, 0) if remaining == 0 else None
    goal_units = free[0].max_units  # the 2023 framework: every goal is worth the same
    if any(goal.max_units != goal_units for goal in free):
        raise ValueError("Synthetic profiles assume every goal has the same maximum.")
    can_be_fully_met = sum(1 for goal in free if goal.number not in fixed)
    preferred_partials = rng.randint(3, 11)
    feasible = [
        (fully, partial)
        for fully in range(can_be_fully_met + 1)
        for partial in range(len(free) - fully + 1)
        if partial <= remaining - fully * goal_units <= partial * (goal_units - 1)
    ]
    if not feasible:
        return None
    half = goal_units / 2
    return min(
        feasible,
        key=lambda split: (
            abs(split[1] - preferred_partials),
            abs(remaining - split[0] * goal_units - split[1] * half),
            split,
        ),
    )


def split_partial_units(
    total: int, numbers: Sequence[str], max_units: Mapping[str, int], rng: random.Random
) -> list[int]:
    """`total` quarter points over the partial goals, each strictly between 0 and its max."""
    values = [1] * len(numbers)
    for _ in range(total - len(numbers)):
        open_slots = [i for i, number in enumerate(numbers) if values[i] < max_units[number] - 1]
        values[rng.choice(open_slots)] += 1
    return values


def met_opportunities(
    goals: Sequence[Goal], goal_units: Mapping[str, int]
) -> list[tuple[str, str, int]]:
    """Extra-credit opportunities on goals that earned points: (goal, category, max units).

    Only goals with some credit get awards, since extra credit rewards extending a
    protection the state has to more victims.
    """
    return [
        (goal.number, category, to_units(max_points))
        for goal in goals
        if goal_units[goal.number] > 0
        for category, max_points in goal.opportunities.items()
    ]


def award_extra_credit(
    opportunities: Sequence[tuple[str, str, int]], extra_units: int, rng: random.Random
) -> tuple[tuple[str, str, int], ...]:
    """Spread `extra_units` over the opportunities, mostly in whole and half points."""
    order = list(opportunities)
    rng.shuffle(order)
    awarded: dict[tuple[str, str], int] = {}
    left = extra_units
    for goal, category, max_units in order:
        if left == 0:
            break
        amount = min(max_units, left, rng.choice((2, 4, 4, 4)))
        awarded[(goal, category)] = amount
        left -= amount
    # Whatever the first pass left over tops up awards still below their maximum.
    for goal, category, max_units in order:
        if left == 0:
            break
        room = max_units - awarded.get((goal, category), 0)
        top_up = min(room, left)
        if top_up:
            awarded[(goal, category)] = awarded.get((goal, category), 0) + top_up
            left -= top_up
    # Back in framework order, so the output does not depend on the shuffle's order.
    return tuple(
        (goal, category, awarded[(goal, category)])
        for goal, category, _ in opportunities
        if (goal, category) in awarded
    )


# Import-format output --------------------------------------------------------------------


def synthetic_assessment(
    framework: dict,
    goals: Sequence[Goal],
    code: str,
    name: str,
    target: Decimal,
    fixed: Mapping[str, bool],
    prevalence: Mapping[str, float],
) -> dict:
    # One generator per jurisdiction, seeded by its code (str seeds are hashed with
    # SHA-512, not hash()), so each profile is independent of the others.
    rng = random.Random(f"{SEED}-{code}")
    cap_units = to_units(extra_credit_cap(framework))
    profile = build_profile(goals, to_units(target), fixed, prevalence, cap_units, rng)
    categories = {row["code"]: row["name"] for row in framework["extra_credit_categories"]}
    assessment = {
        "jurisdiction": code,
        "cycle": CYCLE,
        "synthetic": True,
        "author": "seed",
        "determinations": [determination(goal, name, profile, categories, rng) for goal in goals],
        "texts": {},
        "statutes": [],
        "appropriations": [],
        "pic_scores": [],
    }
    score = assessment_score(assessment, framework)
    if score.total != target:
        raise AssertionError(f"{code} scores {score.total}, not its target {target}.")
    assessment["texts"] = texts(framework, goals, name, profile, score)
    return assessment


def status_of(units: int, goal: Goal) -> scoring.Status:
    if units == goal.max_units:
        return scoring.Status.FULLY_MET
    if units == 0:
        return scoring.Status.NOT_MET
    return scoring.Status.PARTIALLY_MET


def determination(
    goal: Goal,
    name: str,
    profile: Profile,
    categories: Mapping[str, str],
    rng: random.Random,
) -> dict:
    units = profile.goal_units[goal.number]
    status = status_of(units, goal)
    return {
        "goal": goal.number,
        "status": str(status),
        "points": to_points(units),
        "points_derived": False,
        "narrative": narrative(goal, name, status, units, rng),
        "citations": [],
        "footnotes": [],
        "tables": [],
        "recommendations": (
            []
            if status is scoring.Status.FULLY_MET
            else [
                f"{SYNTHETIC_LABEL} — placeholder recommendation, not advice to {name}: "
                f"close the gap on {goal.topic}."
            ]
        ),
        "insights": [],
        "extra_credit": [
            {
                "category": category,
                "points": to_points(award_units),
                "explanation": (
                    f"{SYNTHETIC_LABEL} — placeholder award: protections related to "
                    f"{goal.topic} shown as extended ({categories.get(category, category)})."
                ),
            }
            for award_goal, category, award_units in profile.awards
            if award_goal == goal.number
        ],
    }


def narrative(goal: Goal, name: str, status: scoring.Status, units: int, rng) -> str:
    sentence = rng.choice(NARRATIVES[status]).format(
        topic=goal.topic,
        points=scoring.fmt(units * QUARTER),
        max=scoring.fmt(goal.max_points),
    )
    return f"{SYNTHETIC_LABEL} — not an assessment of {name} law. {sentence}"


def texts(
    framework: dict,
    goals: Sequence[Goal],
    name: str,
    profile: Profile,
    score: scoring.AssessmentScore,
) -> dict:
    met = {
        goal.number: status_of(profile.goal_units[goal.number], goal) is scoring.Status.FULLY_MET
        for goal in goals
    }
    return {
        "highlights": highlights(framework, goals, name, met, score),
        "issue_summaries": {
            str(area["number"]): issue_summary([g for g in goals if g.issue == area["number"]], met)
            for area in framework["issue_areas"]
        },
        "extra_credit_summaries": {},
        "safe_harbor": safe_harbor_status(met),
        "safe_harbor_summary": safe_harbor_summary(goals, name, met),
        "historical_background": "",
    }


def highlights(
    framework: dict,
    goals: Sequence[Goal],
    name: str,
    met: Mapping[str, bool],
    score: scoring.AssessmentScore,
) -> list[str]:
    titles = {area["number"]: area["title"] for area in framework["issue_areas"]}
    strongest = max(score.issues, key=lambda issue: (issue.score / issue.max, -issue.number))
    return [
        f"{SYNTHETIC_LABEL} — these highlights describe a made-up profile, not {name}'s law.",
        f"{SYNTHETIC_LABEL} — fully meets {sum(met.values())} of {len(goals)} policy goals "
        f"in this demo profile.",
        f"{SYNTHETIC_LABEL} — strongest demo issue area: {titles[strongest.number]} "
        f"({scoring.fmt(strongest.score)} of {scoring.fmt(strongest.max)} points).",
    ]


def issue_summary(goals: Sequence[Goal], met: Mapping[str, bool]) -> str:
    accomplished = [goal.topic for goal in goals if met[goal.number]]
    gaps = [goal.topic for goal in goals if not met[goal.number]]
    parts = [f"{SYNTHETIC_LABEL} —"]
    if accomplished:
        parts.append(f"policy goals shown as accomplished related to {join(accomplished)}.")
    else:
        parts.append("no policy goal shown as accomplished.")
    if gaps:
        parts.append(f"Gaps shown related to {join(gaps)}.")
    return " ".join(parts)


def safe_harbor_status(met: Mapping[str, bool]) -> str:
    if met.get("2.5"):
        return (
            f"{SYNTHETIC_LABEL} — shown as one of {NATIONAL_FULLY_MET['2.5']} jurisdictions "
            "that statutorily prohibit the criminalization of minors for prostitution."
        )
    return (
        f"{SYNTHETIC_LABEL} — shown as not yet prohibiting the criminalization of minors "
        "for prostitution."
    )


def safe_harbor_summary(goals: Sequence[Goal], name: str, met: Mapping[str, bool]) -> str:
    safe_harbor_goals = [goal for goal in goals if goal.safe_harbor]
    fully_met = sum(1 for goal in safe_harbor_goals if met[goal.number])
    return (
        f"{SYNTHETIC_LABEL} — not an assessment of {name} law. In this demo profile, "
        f"{name} fully meets {fully_met} of the {len(safe_harbor_goals)} Safe Harbor "
        "policy goals."
    )


def join(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b, and c' — the seed's serial-comma style."""
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])}, and {items[-1]}"
