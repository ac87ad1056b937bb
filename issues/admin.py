"""Django admin of issues: back-office entry for district staff (permissions: accounts.admin.RoleGate).

Categories, routing rules and complaint sessions are reference data staff edit here. Issues and their
timeline are read-only: every change to an issue goes through issues.services
(workflow checks, timeline event, notifications), which the admin would bypass; and the timeline is
append-only (design §4.6), so nobody may change or delete an event, not even here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import BusinessAdmin, BusinessTabularInline, ReadOnlyMixin
from issues.models import (
    ComplaintSession,
    Issue,
    IssueCategory,
    IssueEvent,
    IssueShare,
    RoutingRule,
)


# --- reference data ---------------------------------------------------------------------------
@admin.register(IssueCategory)
class IssueCategoryAdmin(BusinessAdmin):
    list_display = ("name", "code", "kind", "accept_days", "sign_days", "resolve_days", "rate_days", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")


@admin.register(RoutingRule)
class RoutingRuleAdmin(BusinessAdmin):
    list_display = ("category", "chain", "unit")
    list_select_related = ("category", "chain", "unit")
    list_filter = ("category",)
    search_fields = ("category__name", "chain__name", "unit__name")
    autocomplete_fields = ("chain", "unit")


@admin.register(ComplaintSession)
class ComplaintSessionAdmin(BusinessAdmin):
    list_display = ("title", "held_on", "place", "chain", "industry_committee", "host_unit", "created_by")
    list_select_related = ("chain", "industry_committee", "host_unit", "created_by")
    list_filter = ("held_on",)
    search_fields = ("title", "place")
    date_hierarchy = "held_on"
    autocomplete_fields = ("chain", "industry_committee", "host_unit")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# --- issues (read-only) -------------------------------------------------------------------------
class ShareInline(ReadOnlyMixin, BusinessTabularInline):
    model = IssueShare
    fields = ("unit", "role", "status", "due_at", "signed_at", "replied_at", "reply")
    readonly_fields = fields
    verbose_name_plural = _("handling units")


class TimelineInline(ReadOnlyMixin, BusinessTabularInline):
    model = IssueEvent
    fields = ("created_at", "action", "from_status", "to_status", "actor", "public", "note")
    readonly_fields = fields
    ordering = ("created_at", "pk")
    verbose_name_plural = _("timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Issue)
class IssueAdmin(ReadOnlyMixin, BusinessAdmin):
    list_display = (
        "number",
        "title",
        "status",
        "category",
        "enterprise",
        "chain",
        "lead_unit",
        "resolve_due_at",
        "escalation_level",
        "created_at",
    )
    list_select_related = ("enterprise", "chain", "category", "lead_unit")
    list_filter = ("status", "escalation_level", "dispatch_mode", "category")
    search_fields = ("^number", "title")
    date_hierarchy = "created_at"
    inlines = [ShareInline, TimelineInline]
    readonly_fields = [field.name for field in Issue._meta.fields]


@admin.register(IssueEvent)
class IssueEventAdmin(ReadOnlyMixin, BusinessAdmin):
    """The append-only timeline: viewed, never changed or deleted."""

    list_display = ("created_at", "issue", "action", "from_status", "to_status", "actor", "public")
    list_select_related = ("issue", "actor")
    list_filter = ("action", "public")
    search_fields = ("^issue__number", "note")
    readonly_fields = [field.name for field in IssueEvent._meta.fields]
