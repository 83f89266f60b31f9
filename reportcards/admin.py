"""Published report cards and jobs in the admin: to look at, never to change.

A published version is immutable (DESIGN.md §5), so the admin offers no add, change or
delete; publishing goes through the report card page and its service.
"""

from django.contrib import admin

from core.read_only_admin import ReadOnlyAdmin

from .models import ExportJob, PublishedReportCard, PublishJob


@admin.register(PublishedReportCard)
class PublishedReportCardAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = [
        "assessment",
        "version",
        "short_sha",
        "page_count",
        "published_by",
        "published_at",
    ]
    list_filter = ["assessment__cycle"]
    search_fields = ["assessment__jurisdiction__code", "assessment__jurisdiction__name", "sha256"]
    list_select_related = ["assessment__jurisdiction", "assessment__cycle", "published_by"]


@admin.register(PublishJob)
class PublishJobAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["pk", "assessment", "state", "progress", "requested_by", "created_at", "result"]
    list_filter = ["state"]
    list_select_related = [
        "assessment__jurisdiction",
        "assessment__cycle",
        "requested_by",
        "result",
    ]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["pk", "cycle", "state", "progress", "requested_by", "created_at", "size"]
    list_filter = ["state", "cycle"]
    list_select_related = ["cycle", "requested_by"]
