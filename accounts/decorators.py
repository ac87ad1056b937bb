from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.roles import BUSINESS_ROLES


def business_page(view):
    """A logged-in page with business data. 三员分立: the security and audit administrators hold no
    business role, so for them these pages do not exist (404), as for any object outside scope."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or user.roles & BUSINESS_ROLES):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
