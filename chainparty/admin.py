from django.contrib import admin

from chainparty.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "name", "owner", "dry_run", "status", "done", "total", "created_at", "finished_at")
    list_filter = ("kind", "status", "name")
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False
