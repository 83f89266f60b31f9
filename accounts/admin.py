"""Users in the admin: someone whose work is in the records is deactivated, never deleted.

Deleting a user would empty the author of every history record and review they left (or
be refused half-way by the review events that protect their actor), so the admin offers
deletion only for accounts that nothing refers to yet; the others are switched off with
"Active".
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

User = get_user_model()


def is_referenced(user) -> bool:
    """Whether any record points at the user: history, reviews, edits, publications."""
    reverse_relations = (
        field
        for field in user._meta.get_fields(include_hidden=True)  # "+" relations are hidden
        if field.auto_created and not field.concrete
    )
    for relation in reverse_relations:
        if relation.many_to_many or relation.related_model._meta.auto_created:
            continue  # group memberships and permissions are the account, not its work
        lookup = {relation.field.name: user}
        if relation.related_model._default_manager.filter(**lookup).exists():
            return True
    return False


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor login (the user sets it up again)")
    def reset_two_factor(self, request, queryset):
        removed, _ = TOTPDevice.objects.filter(user__in=queryset).delete()
        self.message_user(
            request,
            f"Two-factor login reset for {queryset.count()} user(s) ({removed} device(s) removed).",
            messages.SUCCESS,
        )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_referenced(obj):
            return False
        return super().has_delete_permission(request, obj)
