"""The bell: a user's own notifications, newest first, and marking them read. Every query
is filtered by the user, so nobody reads or marks another user's notifications."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from .models import Notification
from .notifications import notifications_mark_read

NOTIFICATIONS_PER_PAGE = 25


@require_safe
def notifications(request):
    mine = Notification.objects.filter(user=request.user)
    page = Paginator(mine, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "assessments/notifications.html", {"page": page})


@require_POST
def notification_read(request, pk: int):
    """Mark one of the user's own notifications read; an id of someone else's changes
    nothing and says nothing about it."""
    notifications_mark_read(user=request.user, notification_id=pk)
    return redirect("notifications")


@require_POST
def notifications_read_all(request):
    count = notifications_mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification(s) read.")
    return redirect("notifications")
