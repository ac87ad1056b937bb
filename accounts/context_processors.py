from accounts.navigation import menu_for
from accounts.roles import BUSINESS_ROLES


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": [], "inbox_unread": 0}
    unread = 0
    if user.is_superuser or user.roles & BUSINESS_ROLES:
        from issues.models import Notification

        # One COUNT on the (recipient, read_at) index, on every page.
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"nav_menu": menu_for(user, request.path, unread=unread), "inbox_unread": unread}
