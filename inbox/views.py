"""The inbox page: a user's notifications, newest first, marked read one by one or all at once."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import business_page
from chainparty.pages import paginate
from inbox.selectors import get_notification_for_user, list_notifications_for_user
from inbox.services import mark_notifications_read


@business_page
def notification_list(request):
    return render(request, "inbox/inbox.html", paginate(request, list_notifications_for_user(request.user)))


@require_POST
@business_page
def notification_read(request, pk):
    """Mark one notification read; with `open`, go on to what it is about."""
    notification = get_notification_for_user(request.user, pk)
    mark_notifications_read(actor=request.user, notification_ids=[notification.pk])
    target = notification.target if "open" in request.POST else None
    if hasattr(target, "get_absolute_url"):
        return redirect(target.get_absolute_url())
    return redirect(_back(request))


@require_POST
@business_page
def notification_read_all(request):
    count = mark_notifications_read(actor=request.user)
    messages.success(request, _("%(count)d messages marked read.") % {"count": count})
    return redirect(_back(request))


def _back(request) -> str:
    page = request.POST.get("page", "")
    url = reverse("inbox:list")
    return f"{url}?page={int(page)}" if page.isdigit() else url
