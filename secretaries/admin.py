"""Django admin of secretaries: the cadre pool (干部库) and, read-only, postings (派驻) and work logs
(§4.5). District staff edit cadres here (accounts.admin.RoleGate); postings are made, ended and
evaluated through the pages or the API, whose services check the rules."""

from django.contrib import admin

from accounts.admin import BusinessAdmin, PersonalDataAdmin
from secretaries.models import Cadre, Posting, WorkLog


@admin.register(Cadre)
class CadreAdmin(PersonalDataAdmin, BusinessAdmin):
    list_display = ("name", "source_kind", "source_unit", "position", "party_member")
    list_select_related = ("source_unit",)
    list_filter = ("source_kind", "party_member")
    search_fields = ("name", "source_unit__name", "position")
    autocomplete_fields = ("source_unit", "user")

    def shows_personal_data(self, obj: Cadre) -> bool:
        return bool(obj.phone)


class ReadOnlyAdmin(BusinessAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ("cadre", "kind", "enterprise", "park", "start_date", "end_date", "status")
    list_select_related = ("cadre", "enterprise", "park")
    list_filter = ("kind", "status")
    search_fields = ("cadre__name", "enterprise__name", "^enterprise__credit_code", "park__name")
    date_hierarchy = "start_date"


@admin.register(WorkLog)
class WorkLogAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "posting", "author")
    list_select_related = ("posting__cadre", "posting__enterprise", "posting__park", "author")
    list_filter = ("kind",)
    date_hierarchy = "date"
