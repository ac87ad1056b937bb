"""The count on the menu's 督办件 entry (accounts.navigation.register_badge, from IssuesConfig.ready), as
the inbox counts its unread messages: accounts sits below every app, so issues hands it the count."""

from django.http import HttpRequest

from issues.selectors import count_supervision_queue_for_user


def supervision_count_for_request(request: HttpRequest) -> int:
    """The signed-in user's 督办件 count, counted once per request (one COUNT query). The menu asks only
    for users who have the entry (chain leaders, district staff, park chiefs); a unit handler reaches
    the queue from a tab of 我的待办, which counts it too."""
    if not hasattr(request, "_supervision_count"):
        user = getattr(request, "user", None)
        count = 0
        if user is not None and user.is_authenticated and user.has_business_role:
            count = count_supervision_queue_for_user(user)
        request._supervision_count = count  # type: ignore[attr-defined]
    return request._supervision_count  # type: ignore[attr-defined]
