"""Admin pages that show records and never change them."""


class ReadOnlyAdmin:
    """Mix into a ModelAdmin (before it) for records changed only through their services:
    the admin lists and shows them, with no add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
