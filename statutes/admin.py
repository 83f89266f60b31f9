from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Appropriation, Bill, Jurisdiction, Statute


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "citation_prefix"]
    search_fields = ["code", "name"]
    list_filter = ["kind"]


class LibraryAdmin(SimpleHistoryAdmin):
    """A statute or bill in the admin: versioned like the library's edits, never deleted."""

    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        # An edit here is a new version like one in the library, so a library editor who
        # has the older version open gets the conflict page instead of overwriting it.
        if change and form.has_changed():
            obj.version += 1
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # its history is the audit trail; deleting would lose it


@admin.register(Statute)
class StatuteAdmin(LibraryAdmin):
    list_display = ["citation", "caption", "jurisdiction"]
    list_filter = ["jurisdiction"]
    search_fields = ["citation", "caption", "text"]
    list_select_related = ["jurisdiction"]


class AppropriationInline(admin.TabularInline):
    model = Appropriation
    extra = 0


@admin.register(Bill)
class BillAdmin(LibraryAdmin):
    list_display = ["number", "session", "jurisdiction", "status", "enacted_date", "effective_date"]
    list_filter = ["status", "jurisdiction"]
    search_fields = ["number", "session"]
    inlines = [AppropriationInline]
