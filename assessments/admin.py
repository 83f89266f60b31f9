"""The Django admin manages reference data: framework, goals, extra credit and cycles."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from core.read_only_admin import ReadOnlyAdmin

from . import scoring
from .models import (
    Assessment,
    Assignment,
    Cycle,
    ExtraCreditCategory,
    ExtraCreditOpportunity,
    Framework,
    IssueArea,
    PolicyGoal,
    ProtectedInnocenceScore,
)
from .recompute import framework_mark_stale


class RescoresOnChange:
    """Admin edits of the framework or a cycle change scores: mark them stale (and queue the
    recompute) in the same transaction as the edit."""

    def framework_id_of(self, obj) -> int:
        return obj.framework_id

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        framework_mark_stale(framework_id=self.framework_id_of(form.instance))

    def delete_model(self, request, obj):
        framework_id = self.framework_id_of(obj)
        super().delete_model(request, obj)
        framework_mark_stale(framework_id=framework_id)


def framework_published(framework_id: int) -> bool:
    """A report card graded by this framework has been published."""
    return Framework.objects.filter(
        pk=framework_id, cycles__assessments__published_cards__isnull=False
    ).exists()


class FrozenOncePublished:
    """What a published report card was graded by stays as it was: the framework, its goals
    and their parts are read-only in the admin once a card of theirs is published, as
    `load_framework` never alters such a framework (load a new version instead)."""

    def framework_id_of(self, obj) -> int:
        return obj.framework_id

    def _frozen(self, obj) -> bool:
        return obj is not None and framework_published(self.framework_id_of(obj))

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        # Inlines are asked with their parent; model admins without one.
        if obj is not None and self._frozen(obj):
            return False
        return super().has_add_permission(request, *([obj] if obj is not None else []))


class OfFramework(FrozenOncePublished):
    """An inline whose parent is the framework itself."""

    def framework_id_of(self, obj) -> int:
        return obj.pk


class IssueAreaInline(OfFramework, admin.TabularInline):
    model = IssueArea
    extra = 0


class ExtraCreditCategoryInline(OfFramework, admin.TabularInline):
    model = ExtraCreditCategory
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(OfFramework, RescoresOnChange, admin.ModelAdmin):
    list_display = ["name", "year", "version", "illustrative", "extra_credit_cap"]
    inlines = [IssueAreaInline, ExtraCreditCategoryInline]


class ExtraCreditOpportunityInline(FrozenOncePublished, admin.TabularInline):
    model = ExtraCreditOpportunity
    extra = 0


@admin.register(PolicyGoal)
class PolicyGoalAdmin(FrozenOncePublished, RescoresOnChange, admin.ModelAdmin):
    list_display = ["number", "text", "max_points", "safe_harbor", "framework"]
    list_filter = ["framework", "issue_area", "safe_harbor"]
    search_fields = ["number", "text"]
    ordering = ["framework", "ordering"]
    inlines = [ExtraCreditOpportunityInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "max_points" in form.changed_data:
            # A fully met goal earns the maximum, so its stored points follow the new one
            # (the finding itself did not change, so versions and approvals stand).
            obj.determinations.filter(status=scoring.Status.FULLY_MET).update(points=obj.max_points)


@admin.register(Cycle)
class CycleAdmin(RescoresOnChange, admin.ModelAdmin):
    list_display = ["year", "framework", "legislative_cutoff", "previous", "state"]
    # What the cycle was opened through: the goals were copied by it and the comparison
    # page reads it, so it is a record, not a setting (new_cycle --crosswalk sets it).
    readonly_fields = ["crosswalk"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["jurisdiction", "cycle", "synthetic", "version", "updated_at"]
    list_filter = ["cycle", "synthetic"]
    search_fields = ["jurisdiction__name", "jurisdiction__code"]
    list_select_related = ["jurisdiction", "cycle"]
    readonly_fields = ["version"]

    def has_delete_permission(self, request, obj=None):
        return False  # its history is the audit trail; deleting would lose it


@admin.register(ProtectedInnocenceScore)
class ProtectedInnocenceScoreAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "year", "score", "grade"]
    list_filter = ["year"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-only: assignments are made on the cycle's assignments page or with assign_work,
    through their one validator; here admins read them and their history."""

    list_display = ["jurisdiction", "goal", "cycle", "analyst", "reviewer", "due"]
    list_filter = ["cycle"]
    list_select_related = ["jurisdiction", "goal", "cycle", "analyst", "reviewer"]
