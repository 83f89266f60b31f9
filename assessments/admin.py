"""The Django admin manages reference data: framework, goals, extra credit and cycles."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assessment,
    Cycle,
    ExtraCreditCategory,
    ExtraCreditOpportunity,
    Framework,
    IssueArea,
    PolicyGoal,
    ProtectedInnocenceScore,
)


class IssueAreaInline(admin.TabularInline):
    model = IssueArea
    extra = 0


class ExtraCreditCategoryInline(admin.TabularInline):
    model = ExtraCreditCategory
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "version", "extra_credit_cap"]
    inlines = [IssueAreaInline, ExtraCreditCategoryInline]


class ExtraCreditOpportunityInline(admin.TabularInline):
    model = ExtraCreditOpportunity
    extra = 0


@admin.register(PolicyGoal)
class PolicyGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "max_points", "safe_harbor", "framework"]
    list_filter = ["framework", "issue_area", "safe_harbor"]
    search_fields = ["number", "text"]
    ordering = ["framework", "ordering"]
    inlines = [ExtraCreditOpportunityInline]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["year", "framework", "legislative_cutoff", "previous", "state"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["jurisdiction", "cycle", "synthetic", "version", "updated_at"]
    list_filter = ["cycle", "synthetic"]
    search_fields = ["jurisdiction__name", "jurisdiction__code"]
    list_select_related = ["jurisdiction", "cycle"]
    readonly_fields = ["version"]


@admin.register(ProtectedInnocenceScore)
class ProtectedInnocenceScoreAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "year", "score", "grade"]
    list_filter = ["year"]
