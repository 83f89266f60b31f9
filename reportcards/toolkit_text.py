"""The national toolkit in words and table rows, printed alike by its PDF
(reportcards/pdf/survey_chart.py), the app's page and the static site."""

from __future__ import annotations

from assessments.scoring import fmt

from .survey import Methodology, Toolkit


def day(date) -> str:
    return f"{date:%B} {date.day}, {date.year}"


def national_average_line(toolkit: Toolkit) -> str:
    return (
        f"National average: {toolkit.national_average} of "
        f"{fmt(toolkit.methodology.framework.total_max)} points "
        f"({toolkit.jurisdiction_count} jurisdictions)."
    )


def issue_average_rows(toolkit: Toolkit) -> list[tuple[str, str, str, str]]:
    return [
        (f"{a.number}. {a.title}", str(a.average), fmt(a.max), f"{a.percent} %")
        for a in toolkit.issue_averages
    ]


def grade_rows(toolkit: Toolkit) -> list[tuple[str, str]]:
    return [(grade, str(count)) for grade, count in toolkit.grade_distribution]


def scale_rows(method: Methodology) -> list[tuple[str, str]]:
    return [(grade, f"{fmt(minimum)} %") for grade, minimum in method.framework.rules.scale.grades]


def issue_area_rows(method: Methodology) -> list[tuple[str, str, str]]:
    return [
        (f"{number}. {title}", str(goals), fmt(maximum))
        for number, title, goals, maximum in method.issue_areas
    ]


def methodology_lines(method: Methodology) -> list[str]:
    """The framework and its scoring rules in sentences, from the framework's data."""
    framework = method.framework
    per_goal = (
        f"each worth {fmt(framework.points_per_goal)} points"
        if framework.points_per_goal is not None
        else "each with its own maximum"
    )
    tiers = framework.rules.tiers
    return [
        f"The {method.year} report cards grade each jurisdiction's statutes against the "
        f"{framework.name}: {framework.goal_count} policy goals in {len(method.issue_areas)} "
        f"issue areas, {per_goal}, {fmt(framework.base_max)} points in all.",
        "A goal fully met earns its maximum, a goal not met earns 0, and a goal partially met "
        "earns partial credit in steps of 0.25 points.",
        f"Extra credit adds at most {fmt(framework.extra_credit_cap)} points, so a total can "
        f"reach {fmt(framework.total_max)}. The grade compares the total with the "
        f"{fmt(framework.base_max)} points of the goals.",
        "Jurisdictions are ranked by total; equal totals share a rank. "
        f"Tier I holds the jurisdictions with fewer than {tiers.top} ranked above them, "
        f"Tier III those with fewer than {tiers.bottom} ranked below them, Tier II the rest.",
        f"Legislation enacted as of {day(method.cutoff)} is graded.",
        *framework.texts.methodology_notes,
    ]
