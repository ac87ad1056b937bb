"""Back-office views of party-organization data. The tree, meetings, pairings and plans are written
through the pages, the API and the Excel import (partyorgs.services keeps their rules), so the admin
shows them read-only (the plans' deadline is set on the plans page, through set_plan_deadline)."""

from django.contrib import admin

from accounts import audit
from accounts.admin import BusinessAdmin, PersonalDataAdmin, ReadOnlyMixin
from partyorgs.models import (
    AnnualPartyPlan,
    EnterprisePartyProfile,
    OrgMeeting,
    Pairing,
    PartyOrganization,
    PlanDeadline,
    TermReminder,
)


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(PersonalDataAdmin, ReadOnlyMixin, BusinessAdmin):
    personal_data, personal_data_in_list = audit.PARTY_MEMBERS, True
    list_display = ("name", "kind", "parent", "formal_members", "probationary_members", "term_ends_on")
    list_select_related = ("parent",)
    list_filter = ("kind", "has_branch_committee")
    search_fields = ("name", "secretary")


@admin.register(EnterprisePartyProfile)
class EnterprisePartyProfileAdmin(PersonalDataAdmin, ReadOnlyMixin, BusinessAdmin):
    personal_data, personal_data_in_list = audit.PARTY_MEMBERS, True
    list_display = ("enterprise", "formal_members", "probationary_members", "updated_at")
    list_select_related = ("enterprise",)
    search_fields = ("enterprise__name", "enterprise__credit_code")


@admin.register(TermReminder)
class TermReminderAdmin(ReadOnlyMixin, BusinessAdmin):
    list_display = ("organization", "kind", "term_ends_on", "period", "created_at")
    list_select_related = ("organization",)
    list_filter = ("kind",)


@admin.register(OrgMeeting)
class OrgMeetingAdmin(ReadOnlyMixin, BusinessAdmin):
    list_display = ("organization", "kind", "held_on", "topic", "attendance")
    list_select_related = ("organization",)
    list_filter = ("kind",)
    date_hierarchy = "held_on"


@admin.register(Pairing)
class PairingAdmin(ReadOnlyMixin, BusinessAdmin):
    list_display = ("department_org", "enterprise_org", "chain", "start_on", "end_on")
    list_select_related = ("department_org", "enterprise_org", "chain")


@admin.register(AnnualPartyPlan)
class AnnualPartyPlanAdmin(ReadOnlyMixin, BusinessAdmin):
    list_display = ("chain", "year", "title", "filed_on", "business_score", "scored_on")
    list_select_related = ("chain",)
    list_filter = ("year",)


@admin.register(PlanDeadline)
class PlanDeadlineAdmin(ReadOnlyMixin, BusinessAdmin):
    list_display = ("year", "due_on")
