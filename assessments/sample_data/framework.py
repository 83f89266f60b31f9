"""The framework of the sample data, from assessments/data/framework_2023.yaml: issue areas,
policy goals, extra-credit categories and the opportunities each goal offers."""

from decimal import Decimal

from ..models import ExtraCreditCategory, ExtraCreditOpportunity, Framework, IssueArea, PolicyGoal


def load_framework(data: dict) -> Framework:
    framework, _ = Framework.objects.update_or_create(
        year=data["year"],
        version=data.get("version", 1),
        defaults={
            "name": data["name"],
            "extra_credit_cap": Decimal(data["extra_credit_cap"]),
            "extra_credit_opportunities_derived": bool(
                data.get("extra_credit_opportunities_derived", False)
            ),
        },
    )
    categories = {}
    for position, row in enumerate(data["extra_credit_categories"]):
        categories[row["code"]], _ = ExtraCreditCategory.objects.update_or_create(
            framework=framework,
            code=row["code"],
            defaults={
                "name": row["name"],
                "label": row["label"],
                "description": row.get("description", ""),
                "position": position,
            },
        )
    default_max = Decimal(data["points_per_goal"])
    for area_row in data["issue_areas"]:
        area, _ = IssueArea.objects.update_or_create(
            framework=framework,
            number=area_row["number"],
            defaults={"title": area_row["title"], "short_title": area_row["short_title"]},
        )
        for goal_row in area_row["goals"]:
            goal, _ = PolicyGoal.objects.update_or_create(
                framework=framework,
                number=goal_row["number"],
                defaults={
                    "issue_area": area,
                    "text": goal_row["text"],
                    "max_points": Decimal(goal_row.get("max_points", default_max)),
                    "safe_harbor": bool(goal_row.get("safe_harbor", False)),
                    "ordering": PolicyGoal.ordering_key(goal_row["number"]),
                },
            )
            for code, max_points in (goal_row.get("extra_credit") or {}).items():
                ExtraCreditOpportunity.objects.update_or_create(
                    goal=goal,
                    category=categories[code],
                    defaults={"max_points": Decimal(max_points)},
                )
    return framework
