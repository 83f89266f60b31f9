"""The bell: a user's own notifications, newest first, and marking them read. Every query
is filtered by the user, so nobody reads or marks another user's notifications."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .models import Notification, NotificationSettings
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


class NotificationSettingsForm(forms.Form):
    emailed = forms.MultipleChoiceField(
        choices=Notification.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="E-mail me about",
        help_text="Unticked kinds still show under the bell.",
    )
    daily_digest = forms.TypedChoiceField(
        choices=[("0", "At once, one e-mail each"), ("1", "Once a day, in one digest e-mail")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        label="When",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request):
    """The user's own e-mail choices: which kinds, and at once or in a daily digest. Only
    ever the signed-in user's row."""
    chosen = NotificationSettings.objects.filter(user=request.user).first()
    muted = set(chosen.muted_kinds) if chosen else set()
    initial = {
        "emailed": [kind for kind in Notification.Kind.values if kind not in muted],
        "daily_digest": "1" if chosen and chosen.daily_digest else "0",
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            emailed = set(form.cleaned_data["emailed"])
            NotificationSettings.objects.update_or_create(
                user=request.user,
                defaults={
                    "muted_kinds": [k for k in Notification.Kind.values if k not in emailed],
                    "daily_digest": form.cleaned_data["daily_digest"],
                },
            )
            messages.success(request, "Notification settings saved.")
            return redirect("notification_settings")
        messages.error(request, "Nothing was saved: please correct the errors below.")
    status = 400 if form.is_bound else 200
    return render(request, "assessments/notification_settings.html", {"form": form}, status=status)
