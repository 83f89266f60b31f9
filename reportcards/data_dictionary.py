"""The data dictionary of the open data (reportcards/opendata.py): a Frictionless Table
Schema for each CSV file, every field with its type, title, description and constraints.

The columns of scores.csv are those of the cycle export's and the dashboard's CSV
(reportcards/exports.py `csv_header`); its schema describes each of them by name, so the
two cannot drift apart.
"""

from __future__ import annotations

import re

from assessments import scoring
from assessments.models import Framework

CODE = {"pattern": "[A-Z]{2}"}
GOAL = {"pattern": "[0-9]+\\.[0-9]+"}
POINTS = {"minimum": 0}


def field(name: str, type_: str, title: str, description: str, **constraints) -> dict:
    """One field of a Table Schema; every field of this package is required unless a
    constraint says `required=False`."""
    constraints = {"required": True, **constraints}
    if not constraints["required"]:
        del constraints["required"]
    return {
        "name": name,
        "type": type_,
        "title": title,
        "description": description,
        "constraints": constraints,
    }


def jurisdiction_field() -> dict:
    return field(
        "jurisdiction",
        "string",
        "Jurisdiction",
        "Two-letter postal code of the state (DC for the District of Columbia).",
        **CODE,
    )


def _grades(framework: Framework) -> list[str]:
    return [step["grade"] for step in framework.grading_scale]


def jurisdictions_schema() -> dict:
    return {
        "fields": [
            jurisdiction_field(),
            field("name", "string", "Name", "The jurisdiction's name."),
            field(
                "synthetic",
                "boolean",
                "Synthetic",
                "True for demonstration data made up by the application, not a real assessment.",
            ),
            field(
                "version",
                "integer",
                "Version",
                "The released version of the report card these figures come from (a "
                "correction after the release is a higher version).",
                minimum=1,
            ),
            field("published_on", "date", "Published on", "The day this version was published."),
            field("pdf", "string", "PDF", "File name of the report card PDF of this version."),
            field(
                "pdf_sha256",
                "string",
                "PDF SHA-256",
                "SHA-256 of the published PDF, to check a copy of it.",
                pattern="[0-9a-f]{64}",
            ),
            field(
                "errata",
                "string",
                "Errata",
                "For a correction published after the release: what changed and why, as "
                "printed on the card; empty otherwise.",
                required=False,
            ),
        ],
        "primaryKey": ["jurisdiction"],
    }


def _by_jurisdiction() -> dict:
    return {
        "fields": ["jurisdiction"],
        "reference": {"resource": "jurisdictions", "fields": ["jurisdiction"]},
    }


# scores.csv: the exports.py columns whose names are fixed.
_SCORE_FIELDS = {
    "name": ("string", "Name", "The jurisdiction's name.", {}),
    "extra_credit_total": (
        "number",
        "Extra credit",
        "The extra credit the total counts: the categories' sum, capped at the framework's "
        "extra-credit maximum.",
        POINTS,
    ),
    "total": ("number", "Total", "Issue scores plus extra credit.", POINTS),
    "rank": (
        "integer",
        "Rank",
        "National rank by total, 1 the best; tied jurisdictions share a rank.",
        {"minimum": 1},
    ),
    "tied": ("boolean", "Tied", "True when another jurisdiction has the same rank.", {}),
    "tier": (
        "integer",
        "Tier",
        "1 (Tier I, the top), 2 or 3 (Tier III, the bottom), by rank.",
        {"enum": [1, 2, 3]},
    ),
    "change": (
        "number",
        "Change",
        "The total against the previous cycle's; empty when there is no previous cycle.",
        {"required": False},
    ),
    "synthetic": (
        "boolean",
        "Synthetic",
        "True for demonstration data, not a real assessment.",
        {},
    ),
}


def _score_field(name: str, framework: Framework, areas: dict, categories: dict) -> dict:
    if name == "jurisdiction":
        return jurisdiction_field()
    if name == "grade":
        return field(
            name, "string", "Grade", "The overall grade of the total.", enum=_grades(framework)
        )
    if name in _SCORE_FIELDS:
        type_, title, description, constraints = _SCORE_FIELDS[name]
        return field(name, type_, title, description, **constraints)
    if match := re.fullmatch(r"issue_(\d+)_grade", name):
        area = areas[int(match[1])]
        return field(
            name,
            "string",
            f"Issue {area.number} grade",
            f"Grade of issue area {area.number}, “{area.title}”.",
            enum=_grades(framework),
        )
    if match := re.fullmatch(r"issue_(\d+)", name):
        area = areas[int(match[1])]
        return field(
            name,
            "number",
            f"Issue {area.number} score",
            f"Points in issue area {area.number}, “{area.title}”.",
            **POINTS,
        )
    category = categories[name.removeprefix("extra_credit_")]
    return field(
        name,
        "number",
        f"Extra credit: {category.label}",
        f"Extra-credit points in the category “{category.name}” (before the cap).",
        **POINTS,
    )


def scores_schema(framework: Framework, header: list[str]) -> dict:
    """The schema of scores.csv, whose columns are `header` (exports.csv_header)."""
    areas = {area.number: area for area in framework.issue_areas.all()}
    categories = {category.code: category for category in framework.extra_credit_categories.all()}
    return {
        "fields": [_score_field(name, framework, areas, categories) for name in header],
        "primaryKey": ["jurisdiction"],
        "foreignKeys": [_by_jurisdiction()],
    }


def determinations_schema() -> dict:
    return {
        "fields": [
            jurisdiction_field(),
            field("goal", "string", "Policy goal", "The goal's number, such as 2.10.", **GOAL),
            field("issue", "integer", "Issue area", "Number of the goal's issue area.", minimum=1),
            field(
                "status",
                "string",
                "Status",
                "Whether the jurisdiction's law meets the goal: fully_met, partially_met "
                "or not_met.",
                enum=[str(status) for status in scoring.Status],
            ),
            field("points", "number", "Points", "Points the goal earns.", **POINTS),
            field(
                "max_points",
                "number",
                "Maximum",
                "The most points the goal can earn.",
                **POINTS,
            ),
            field("safe_harbor", "boolean", "Safe Harbor", "True for a Safe Harbor goal."),
        ],
        "primaryKey": ["jurisdiction", "goal"],
        "foreignKeys": [_by_jurisdiction()],
    }


def citations_schema() -> dict:
    return {
        "fields": [
            jurisdiction_field(),
            field("goal", "string", "Policy goal", "The goal the statute is cited for.", **GOAL),
            field(
                "position",
                "integer",
                "Position",
                "Order of the citation within the goal's analysis, from 1.",
                minimum=1,
            ),
            field(
                "citation", "string", "Citation", "The statute cited: Miss. Code Ann. § 97-3-54.1."
            ),
            field(
                "pinpoint",
                "string",
                "Pinpoint",
                "The part of the statute quoted, such as (1)(a); may be empty.",
                required=False,
            ),
            field("caption", "string", "Caption", "The statute's caption.", required=False),
            field(
                "quote", "string", "Quote", "The passage quoted in the analysis.", required=False
            ),
        ],
        "primaryKey": ["jurisdiction", "goal", "position"],
        "foreignKeys": [_by_jurisdiction()],
    }
