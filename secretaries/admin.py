"""Django admin of secretaries: postings (派驻) of first secretaries and party-building instructors (§4.5).

District staff edit them (accounts.admin.RoleGate); cadres and enterprises are picked by autocomplete.
"""

from django.contrib import admin

from accounts.admin import BusinessAdmin
from secretaries.models import Posting


@admin.register(Posting)
class PostingAdmin(BusinessAdmin):
    list_display = ("cadre", "kind", "enterprise", "start_date", "end_date", "status")
    list_select_related = ("cadre", "enterprise")
    list_filter = ("kind", "status")
    search_fields = ("cadre__full_name", "cadre__username", "enterprise__name", "^enterprise__credit_code")
    autocomplete_fields = ("cadre", "enterprise")
    date_hierarchy = "start_date"
