"""Django admin of chains: back-office entry for district staff (permissions: accounts.admin.RoleGate).

Every changelist loads its related rows with list_select_related / prefetch_related and annotations,
so a page costs the same number of queries whatever the number of rows; foreign keys to large tables
use autocomplete widgets instead of a <select> of every row.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch
from django.utils.translation import gettext_lazy as _

from accounts.admin import SECURITY, BusinessAdmin, BusinessTabularInline, PersonalDataAdmin
from chainparty.errors import InvalidTransition
from chains.models import (
    SCORE_FIELDS,
    Chain,
    ChainLeadership,
    ChainMaster,
    ChainMembership,
    ChainSegment,
    CultivationMeasure,
    Enterprise,
    EnterpriseHonour,
    Park,
    ParkFacility,
    TaskForceMember,
)
from chains.services import designate_chain_master, revoke_chain_master


# --- parks ------------------------------------------------------------------------------------
class ParkFacilityInline(BusinessTabularInline):
    model = ParkFacility
    fields = ("kind", "name", "description")


@admin.register(Park)
class ParkAdmin(BusinessAdmin):
    list_display = ("name", "kind", "management_unit", "chief_list", "facility_count")
    list_select_related = ("management_unit",)
    list_filter = ("kind",)
    search_fields = ("name", "address")
    autocomplete_fields = ("management_unit", "chiefs")
    inlines = [ParkFacilityInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("chiefs")
            .annotate(facility_count=Count("facilities", distinct=True))
        )

    @admin.display(description=_("park chiefs"))
    def chief_list(self, obj: Park) -> str:
        return "、".join(str(chief) for chief in obj.chiefs.all())

    @admin.display(description=_("facilities"), ordering="facility_count")
    def facility_count(self, obj: Park) -> int:
        return obj.facility_count


@admin.register(ParkFacility)
class ParkFacilityAdmin(BusinessAdmin):
    list_display = ("name", "kind", "park")
    list_select_related = ("park",)
    list_filter = ("kind", "park")
    search_fields = ("name", "park__name")
    autocomplete_fields = ("park",)


# --- chains -----------------------------------------------------------------------------------
class ChainLeadershipInline(BusinessTabularInline):
    model = ChainLeadership
    fields = ("user", "role")
    autocomplete_fields = ("user",)


class ChainSegmentInline(BusinessTabularInline):
    model = ChainSegment
    fields = ("position", "order", "name")


@admin.register(Chain)
class ChainAdmin(BusinessAdmin):
    list_display = (
        "name",
        "code",
        "lead_unit",
        "industry_committee",
        "path_industry_committee",
        "path_department",
        "path_park",
        "leader_list",
        "enterprise_count",
    )
    list_select_related = ("lead_unit", "industry_committee")
    list_filter = ("path_industry_committee", "path_department", "path_park", "lead_unit", "parks")
    search_fields = ("name", "code")
    autocomplete_fields = ("lead_unit", "industry_committee", "cooperating_units", "parks")
    fieldsets = (
        (None, {"fields": ("name", "code", "description")}),
        (_("Units"), {"fields": ("lead_unit", "cooperating_units", "industry_committee")}),
        (_("Coverage paths"), {"fields": ("path_industry_committee", "path_department", "path_park", "parks")}),
    )
    inlines = [ChainLeadershipInline, ChainSegmentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("leaderships", queryset=ChainLeadership.objects.select_related("user").order_by("role"))
            )
            .annotate(enterprise_count=Count("memberships", distinct=True))
        )

    @admin.display(description=_("leaders"))
    def leader_list(self, obj: Chain) -> str:
        return "、".join(
            f"{leadership.user}（{leadership.get_role_display()}）" for leadership in obj.leaderships.all()
        )

    @admin.display(description=_("enterprises"), ordering="enterprise_count")
    def enterprise_count(self, obj: Chain) -> int:
        return obj.enterprise_count


@admin.register(ChainLeadership)
class ChainLeadershipAdmin(BusinessAdmin):
    list_display = ("chain", "user", "role")
    list_select_related = ("chain", "user")
    list_filter = ("role", "chain")
    search_fields = ("chain__name", "user__full_name", "user__username")
    autocomplete_fields = ("chain", "user")


@admin.register(ChainSegment)
class ChainSegmentAdmin(BusinessAdmin):
    list_display = ("name", "chain", "position", "order")
    list_select_related = ("chain",)
    list_filter = ("position", "chain")
    search_fields = ("name", "chain__name")
    autocomplete_fields = ("chain",)
    ordering = ("chain__name", "position", "order", "name")


# --- enterprises ------------------------------------------------------------------------------
class MembershipForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        chain, segment = cleaned.get("chain"), cleaned.get("segment")
        if chain and segment and segment.chain_id != chain.pk:
            raise ValidationError(
                {"segment": _("The segment “%(segment)s” belongs to another chain.") % {"segment": segment.name}}
            )
        return cleaned


class EnterpriseHonourInline(BusinessTabularInline):
    model = EnterpriseHonour
    fields = ("honour", "year")


class ChainMembershipInline(BusinessTabularInline):
    model = ChainMembership
    form = MembershipForm
    fields = ("chain", "segment")
    autocomplete_fields = ("chain", "segment")


@admin.register(Enterprise)
class EnterpriseAdmin(BusinessAdmin):
    list_display = ("name", "credit_code", "kind", "size_class", "park", "employees", "annual_output", "honour_list")
    list_select_related = ("park",)
    list_filter = ("size_class", "kind", ("honours__honour", admin.ChoicesFieldListFilter), "park", "chains")
    # A credit code is searched from its start (an index can serve it); names anywhere in them.
    search_fields = ("name", "^credit_code")
    search_help_text = _("Search by name or by the beginning of the unified social credit code.")
    autocomplete_fields = ("park",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [EnterpriseHonourInline, ChainMembershipInline]
    # The security administrator attaches an enterprise contact's account to the enterprise.
    lookup_roles = SECURITY

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("honours", queryset=EnterpriseHonour.objects.order_by("honour")))
        )

    @admin.display(description=_("honours"))
    def honour_list(self, obj: Enterprise) -> str:
        return "、".join(honour.get_honour_display() for honour in obj.honours.all())


@admin.register(EnterpriseHonour)
class EnterpriseHonourAdmin(BusinessAdmin):
    list_display = ("enterprise", "honour", "year")
    list_select_related = ("enterprise",)
    list_filter = ("honour", "year")
    search_fields = ("enterprise__name", "^enterprise__credit_code")
    autocomplete_fields = ("enterprise",)


@admin.register(ChainMembership)
class ChainMembershipAdmin(BusinessAdmin):
    form = MembershipForm
    list_display = ("enterprise", "chain", "segment")
    list_select_related = ("enterprise", "chain", "segment")
    list_filter = ("chain",)
    search_fields = ("enterprise__name", "^enterprise__credit_code", "segment__name")
    autocomplete_fields = ("enterprise", "chain", "segment")


# --- chain masters ----------------------------------------------------------------------------
class TaskForceMemberInline(BusinessTabularInline):
    model = TaskForceMember
    fields = ("name", "title", "source", "from_enterprise", "phone")
    autocomplete_fields = ("from_enterprise",)


class CultivationMeasureInline(BusinessTabularInline):
    model = CultivationMeasure
    fields = ("kind", "title", "status", "due_date", "description")


def _score_total():
    total = F(SCORE_FIELDS[0])
    for name in SCORE_FIELDS[1:]:
        total = total + F(name)
    return total


@admin.register(ChainMaster)
class ChainMasterAdmin(PersonalDataAdmin, BusinessAdmin):
    list_display = ("enterprise", "chain", "status", "score_total", "designated_on", "revoked_on")
    list_select_related = ("chain", "enterprise")
    list_filter = ("status", "chain")
    search_fields = ("enterprise__name", "chain__name")
    autocomplete_fields = ("chain", "enterprise")
    fieldsets = (
        (None, {"fields": ("chain", "enterprise", "status", "designated_on", "revoked_on", "note")}),
        (_("Selection criteria (§4.2)"), {"fields": SCORE_FIELDS}),
    )
    # Designation goes through the service (it revokes the chain's previous master); not a free edit.
    readonly_fields = ("status", "designated_on", "revoked_on")
    actions = ["designate", "revoke"]
    inlines = [TaskForceMemberInline, CultivationMeasureInline]

    def shows_personal_data(self, obj: ChainMaster) -> bool:
        return obj.task_force.exclude(phone="").exists()  # the task force's phones, in the inline

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(score_total=_score_total())

    @admin.action(description=_("Designate as chain master"))
    def designate(self, request, queryset):
        self._run(request, queryset, designate_chain_master)

    @admin.action(description=_("Revoke the designation"))
    def revoke(self, request, queryset):
        self._run(request, queryset, revoke_chain_master)

    def _run(self, request, queryset, service):
        for master in queryset:
            try:
                service(actor=request.user, chain_master=master)
            except (InvalidTransition, ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{master}: {exc}", level=messages.ERROR)
            else:
                self.message_user(request, f"{master}: {_('done')}", level=messages.SUCCESS)

    @admin.display(description=_("total score"), ordering="score_total")
    def score_total(self, obj: ChainMaster):
        return obj.score_total


@admin.register(TaskForceMember)
class TaskForceMemberAdmin(PersonalDataAdmin, BusinessAdmin):
    list_display = ("name", "title", "source", "chain_master", "from_enterprise")
    list_select_related = ("chain_master__chain", "chain_master__enterprise", "from_enterprise")
    list_filter = ("source",)
    search_fields = ("name", "title", "chain_master__enterprise__name")
    autocomplete_fields = ("chain_master", "from_enterprise")

    def shows_personal_data(self, obj: TaskForceMember) -> bool:
        return bool(obj.phone)


@admin.register(CultivationMeasure)
class CultivationMeasureAdmin(BusinessAdmin):
    list_display = ("title", "kind", "status", "due_date", "chain_master")
    list_select_related = ("chain_master__chain", "chain_master__enterprise")
    list_filter = ("kind", "status")
    search_fields = ("title", "chain_master__enterprise__name", "chain_master__chain__name")
    autocomplete_fields = ("chain_master",)
