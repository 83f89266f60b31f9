from django.db.models import Count, Value
from django.utils.functional import SimpleLazyObject

from accounts.roles import STAFF_ROLES, Role, user_roles


def viewed_year(request) -> int | None:
    """The cycle the page shows, if it names one: its address's year
    (/assessments/MS/2023/…) or the cycle chosen in its query (?cycle=2023, ?year=2023)."""
    match = getattr(request, "resolver_match", None)
    year = match.kwargs.get("year") if match is not None else None
    if isinstance(year, int):
        return year
    for name in ("cycle", "year"):
        chosen = request.GET.get(name, "")
        if chosen.isdigit() and len(chosen) == 4:
            return int(chosen)
    return None


def roles(request):
    """Which roles the user holds (for menus only; views check roles themselves), the latest
    cycle, which the navigation links to, the cycle the search box searches (the one the
    page shows, else the latest), and the count of the user's work (the inbox)."""
    from assessments.models import Cycle

    user = getattr(request, "user", None)
    # A Data reader reads through the API only: no staff navigation.
    held = user_roles(user) & set(STAFF_ROLES) if user is not None else set()
    latest = None
    if user is not None and user.is_authenticated:
        latest = Cycle.objects.order_by("-year").values_list("year", flat=True).first()
    return {
        "user_roles": {role.name.lower(): role in held for role in Role},
        "has_any_role": bool(held),
        "latest_year": latest,
        "search_year": (viewed_year(request) or latest) if latest else None,
        # Counted once, on first use: a page that shows no navigation costs no query.
        "nav_counts": SimpleLazyObject(lambda: navigation_counts(user, held)) if held else {},
    }


def unread_count(user) -> int:
    """The user's unread notifications (the bell). Evaluated only where a template shows it."""
    return user.notifications.filter(read_at__isnull=True).count()


def _counted(label: str, queryset):
    return (
        queryset.order_by()
        .annotate(label=Value(label))
        .values("label")
        .annotate(n=Count("pk"))
        .values_list("label", "n")
    )


def navigation_counts(user, held) -> dict[str, int]:
    """In one query, what the navigation bar counts: `work` waiting for the user (their
    drafts as analyst, the submitted goals assigned to them as reviewer, jurisdictions
    ready or changed since published as publisher) and `unread` notifications. Evaluated
    only where a template shows it."""
    from assessments.inbox import analyst_waiting, reviewer_waiting
    from assessments.models import Notification

    from .inbox import publisher_waiting

    counts = [_counted("unread", Notification.objects.filter(user=user, read_at__isnull=True))]
    if Role.ANALYST in held:
        counts.append(_counted("work", analyst_waiting(user)))
    if Role.REVIEWER in held:
        counts.append(_counted("work", reviewer_waiting(user)))
    if Role.PUBLISHER in held:
        counts.append(_counted("work", publisher_waiting()))
    totals = {"work": 0, "unread": 0}
    for label, n in counts[0].union(*counts[1:], all=True):
        totals[label] += n
    return totals
