from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Appropriation, Bill, Jurisdiction, Statute


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "citation_prefix"]
    search_fields = ["code", "name"]
    list_filter = ["kind"]


@admin.register(Statute)
class StatuteAdmin(SimpleHistoryAdmin):
    list_display = ["citation", "caption", "jurisdiction"]
    list_filter = ["jurisdiction"]
    search_fields = ["citation", "caption", "text"]
    list_select_related = ["jurisdiction"]
    readonly_fields = ["version"]


class AppropriationInline(admin.TabularInline):
    model = Appropriation
    extra = 0


@admin.register(Bill)
class BillAdmin(SimpleHistoryAdmin):
    list_display = ["number", "session", "jurisdiction"]
    list_filter = ["jurisdiction"]
    search_fields = ["number", "session"]
    inlines = [AppropriationInline]
