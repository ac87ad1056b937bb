from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404


def role_page(*roles):
    """A logged-in page with business data, for `roles` only (any business role when none is named).

    三员分立: the security and audit administrators hold no business role, so for them these pages
    do not exist (404), as for any object outside scope. A business user without one of `roles`
    gets a 403: the page exists, not for them."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.has_business_role:
                raise Http404
            if roles and not (user.is_superuser or user.has_role(*roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


business_page = role_page()


def role_holder_page(view):
    """A logged-in page for anyone holding a role, the security and audit administrators included
    (their own jobs: the audit export). Without any role the page does not exist (404)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.roles):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
