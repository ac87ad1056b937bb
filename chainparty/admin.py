from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from chainparty.models import Job

# The back office in the portal's name, not "Django administration".
admin.site.site_header = _("Chain Party-Building Portal · back office")
admin.site.site_title = _("Chain Party-Building Portal back office")
admin.site.index_title = _("Back office")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "name", "owner", "dry_run", "status", "done", "total", "created_at", "finished_at")
    list_filter = ("kind", "status", "name")
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False
