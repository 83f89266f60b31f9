"""Loading a framework file into a new framework version (issue #13, `load_framework`).

The whole file is checked first (assessments/framework_document.py) and nothing is written
on any problem. A load never changes a framework already in the database: it creates the
next version of the framework's year, so a cycle, published or not, keeps grading against
the version it was made with. Loading content that is already a version of that year
(comments and spacing aside) writes nothing and returns that version. The sample data
loader uses this same path.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max

from .document_files import UnreadableDocument, read_document_file
from .framework_document import FrameworkDocument, FrameworkFileProblems, validated
from .models import ExtraCreditCategory, ExtraCreditOpportunity, Framework, IssueArea, PolicyGoal


@dataclass(frozen=True)
class FrameworkLoad:
    framework: Framework
    created: bool  # False: the same content was loaded before, as this version


def framework_file(path: Path) -> FrameworkDocument:
    """The validated document of a YAML or JSON framework file, read within the limits of
    core.limits (size before reading; YAML anchors and aliases refused before parsing)."""
    try:
        data = read_document_file(path)
    except UnreadableDocument as error:
        raise FrameworkFileProblems([str(error)]) from None
    return validated(data)


def framework_load(document: FrameworkDocument) -> FrameworkLoad:
    """The framework version holding `document`: one loaded before with the same content,
    or a new version (the year's highest plus one)."""
    digest = document.content_sha256()
    same = Framework.objects.filter(year=document.year, content_sha256=digest)
    if found := same.order_by("-version").first():
        return FrameworkLoad(found, created=False)
    try:
        with transaction.atomic():
            return FrameworkLoad(_create(document, digest), created=True)
    except IntegrityError:  # another load of the same year took the version number
        raise FrameworkFileProblems(
            [f"Another framework of {document.year} was loaded at the same time; load again."]
        ) from None


def _create(document: FrameworkDocument, digest: str) -> Framework:
    latest = Framework.objects.filter(year=document.year).aggregate(latest=Max("version"))
    framework = Framework.objects.create(
        name=document.name,
        year=document.year,
        version=(latest["latest"] or 0) + 1,
        extra_credit_cap=document.extra_credit_cap,
        extra_credit_opportunities_derived=document.extra_credit_opportunities_derived,
        grading_scale=[step.model_dump(mode="json") for step in document.grading_scale],
        tier_top=document.tiers.top,
        tier_bottom=document.tiers.bottom,
        cutoff_month=document.cutoff_rule.month,
        cutoff_day=document.cutoff_rule.day,
        cutoff_rule=document.cutoff_rule.description,
        texts=document.texts.model_dump(mode="json"),
        illustrative=document.illustrative,
        note=document.note,
        content_sha256=digest,
    )
    categories = {
        row.code: ExtraCreditCategory(
            framework=framework,
            code=row.code,
            name=row.name,
            label=row.label,
            description=row.description,
            position=position,
        )
        for position, row in enumerate(document.extra_credit_categories)
    }
    ExtraCreditCategory.objects.bulk_create(categories.values())
    _create_goals(framework, document, categories)
    return framework


def _create_goals(framework, document: FrameworkDocument, categories: dict) -> None:
    areas = IssueArea.objects.bulk_create(
        IssueArea(
            framework=framework, number=row.number, title=row.title, short_title=row.short_title
        )
        for row in document.issue_areas
    )
    area_of = {area.number: area for area in areas}
    rows = document.goals()
    goals = PolicyGoal.objects.bulk_create(
        PolicyGoal(
            framework=framework,
            issue_area=area_of[area.number],
            number=goal.number,
            text=goal.text,
            max_points=goal.max_points or document.points_per_goal,
            safe_harbor=goal.safe_harbor,
            issue_brief_url=goal.issue_brief_url or "",
            ordering=PolicyGoal.ordering_key(goal.number),
        )
        for area, goal in rows
    )
    ExtraCreditOpportunity.objects.bulk_create(
        ExtraCreditOpportunity(goal=saved, category=categories[code], max_points=points)
        for saved, (_, goal) in zip(goals, rows, strict=True)
        for code, points in goal.extra_credit.items()
    )


class UnknownFramework(Exception):
    """No loaded framework goes by the name given; the message says which exist."""


def framework_named(name: str) -> Framework:
    """The loaded framework "YEAR" (its latest version) or "YEAR:VERSION" names, such as
    "2025" or "2023:1"."""
    year, _, version = name.strip().partition(":")
    if not year.isdigit() or (version and not version.isdigit()):
        raise UnknownFramework(
            f"“{name}” names no framework; give YEAR or YEAR:VERSION of a loaded framework, "
            "such as 2025 or 2023:1."
        )
    found = Framework.objects.filter(year=int(year))
    if version:
        found = found.filter(version=int(version))
    if framework := found.order_by("-version").first():
        return framework
    loaded = ", ".join(
        f"{f.year}:{f.version}" for f in Framework.objects.order_by("year", "version")
    )
    raise UnknownFramework(
        f"No framework {name} is loaded (loaded: {loaded or 'none'}); load its file first "
        "with `manage.py load_framework FILE`."
    )


def framework_document(framework: Framework) -> FrameworkDocument:
    """A framework version as the document its file would be (the inverse of a load), in a
    fixed number of queries: what the API and open data publish as the framework."""
    goals = list(
        PolicyGoal.objects.filter(framework=framework)
        .select_related("issue_area")
        .prefetch_related("extra_credit_opportunities__category")
        .order_by("ordering")
    )
    maxima = Counter(goal.max_points for goal in goals)
    per_goal = maxima.most_common(1)[0][0] if maxima else Decimal("1")
    return FrameworkDocument.model_validate(
        {
            "format": "report-cards-framework",
            "format_version": 1,
            "year": framework.year,
            "name": framework.name,
            "illustrative": framework.illustrative,
            "note": framework.note,
            "points_per_goal": per_goal,
            "extra_credit_cap": framework.extra_credit_cap,
            "extra_credit_opportunities_derived": framework.extra_credit_opportunities_derived,
            "extra_credit_categories": [
                {"code": c.code, "name": c.name, "label": c.label, "description": c.description}
                for c in framework.extra_credit_categories.order_by("position")
            ],
            "issue_areas": _issue_areas(framework, goals, per_goal),
            "grading_scale": framework.grading_scale,
            "tiers": {"top": framework.tier_top, "bottom": framework.tier_bottom},
            "cutoff_rule": {
                "month": framework.cutoff_month,
                "day": framework.cutoff_day,
                "description": framework.cutoff_rule,
            },
            "texts": framework.texts,
        }
    )


def _issue_areas(framework: Framework, goals: list[PolicyGoal], per_goal: Decimal) -> list:
    return [
        {
            "number": area.number,
            "title": area.title,
            "short_title": area.short_title,
            "goals": [_goal_row(goal, per_goal) for goal in goals if goal.issue_area_id == area.id],
        }
        for area in framework.issue_areas.order_by("number")
    ]


def _goal_row(goal: PolicyGoal, per_goal: Decimal) -> dict:
    return {
        "number": goal.number,
        "text": goal.text,
        "max_points": None if goal.max_points == per_goal else goal.max_points,
        "safe_harbor": goal.safe_harbor,
        "issue_brief_url": goal.issue_brief_url or None,
        "extra_credit": {
            opportunity.category.code: opportunity.max_points
            for opportunity in goal.extra_credit_opportunities.all()
        },
    }
