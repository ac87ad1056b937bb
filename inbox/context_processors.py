from inbox.selectors import count_unread_for_user


def unread_count_for_request(request) -> int:
    """The signed-in user's unread count, counted once per request: the header (`inbox_unread`) and
    the menu's badge on the inbox entry both show it."""
    if not hasattr(request, "_inbox_unread"):
        user = getattr(request, "user", None)
        unread = 0
        if user is not None and user.is_authenticated and user.has_business_role:
            unread = count_unread_for_user(user)
        request._inbox_unread = unread
    return request._inbox_unread


def inbox(request) -> dict:
    return {"inbox_unread": unread_count_for_request(request)}
