"""Django admin of chain meetings: read-only. Every change to a meeting goes through
meetings.services (workflow checks, reminders' versions, notifications), which the admin would bypass."""

from django.contrib import admin

from accounts.admin import BusinessAdmin, BusinessTabularInline, ReadOnlyMixin
from meetings.models import AgendaItem, Decision, Meeting, MeetingInvitee


class InviteeInline(ReadOnlyMixin, BusinessTabularInline):
    model = MeetingInvitee
    fields = ("role", "user", "unit")
    readonly_fields = fields


class AgendaInline(ReadOnlyMixin, BusinessTabularInline):
    model = AgendaItem
    fields = ("title", "issue", "reasons", "discussion")
    readonly_fields = fields


class DecisionInline(ReadOnlyMixin, BusinessTabularInline):
    model = Decision
    fields = ("text", "follow_up_unit", "follow_up_due", "follow_up_issue", "updated_issue")
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyMixin, BusinessAdmin):
    list_display = ("title", "quarter", "chain", "status", "starts_at")
    list_select_related = ("chain",)
    list_filter = ("quarter", "status")
    search_fields = ("title",)
    inlines = [InviteeInline, AgendaInline, DecisionInline]
    readonly_fields = [field.name for field in Meeting._meta.fields]
