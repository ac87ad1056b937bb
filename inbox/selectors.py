"""Reads of the inbox: a user sees their own notifications, nobody else's."""

from django.db.models import QuerySet

from accounts.models import User
from chainparty.scope import get_visible_or_404
from inbox.models import Notification


def list_notifications_for_user(user: User) -> QuerySet[Notification]:
    # The target's type names the "open" button; the target itself is fetched only when opened.
    return Notification.objects.for_recipient(user).select_related("target_type").order_by("-created_at", "-pk")


def get_notification_for_user(user: User, pk: object) -> Notification:
    """One of the user's notifications; another's is a 404, as if it did not exist."""
    return get_visible_or_404(Notification.objects.for_recipient(user), pk=pk)


def count_unread_for_user(user: User) -> int:
    # One COUNT on the (recipient, read_at) index.
    return Notification.objects.for_recipient(user).unread().count()
