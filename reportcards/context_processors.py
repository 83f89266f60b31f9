from accounts.roles import Role, user_roles


def roles(request):
    """Which roles the user holds (for menus only; views check roles themselves) and the
    latest cycle, which the navigation links to."""
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
    }
