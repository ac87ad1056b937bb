"""Django admin of the inbox: read-only, for district staff to trace what was sent to whom."""

from django.contrib import admin

from accounts.admin import BusinessAdmin, ReadOnlyMixin
from inbox.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, BusinessAdmin):
    list_display = ("created_at", "recipient", "subject", "target_type", "read_at", "email_due", "emailed_at")
    list_select_related = ("recipient", "target_type")
    list_filter = (
        ("target_type", admin.RelatedOnlyFieldListFilter),
        "email_due",
        ("emailed_at", admin.EmptyFieldListFilter),
        ("read_at", admin.EmptyFieldListFilter),
    )
    # An issue's number starts the subject: searching the subject finds an issue's notifications.
    search_fields = ("subject", "recipient__username")
    readonly_fields = [field.name for field in Notification._meta.fields]
