from accounts.roles import Role, user_roles


def roles(request):
    """Which roles the user holds (for menus only; views check roles themselves), the latest
    cycle, which the navigation links to, and the count of the user's work (the inbox)."""
    from assessments.models import Cycle

    user = getattr(request, "user", None)
    held = user_roles(user) if user is not None else set()
    latest = None
    if user is not None and user.is_authenticated:
        latest = Cycle.objects.order_by("-year").values_list("year", flat=True).first()
    return {
        "user_roles": {role.name.lower(): role in held for role in Role},
        "has_any_role": bool(held),
        "latest_year": latest,
        "work_count": (lambda: work_count(user, held)) if held else 0,
    }


def work_count(user, held) -> int:
    """What waits for the user: their drafts (analyst), submitted goals assigned to them
    (reviewer), jurisdictions ready to publish or changed since published (publisher).
    Evaluated only where a template shows it."""
    from assessments.inbox import work_counts

    from .inbox import publisher_count

    counts = work_counts(user, analyst=Role.ANALYST in held, reviewer=Role.REVIEWER in held)
    total = sum(counts.values())
    if Role.PUBLISHER in held:
        total += publisher_count()
    return total
