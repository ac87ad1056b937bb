"""Pages of the project as a whole: the home page, which draws on several apps, and the health check.
They live here, above every app, so that no app needs to import another to build them."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied

from accounts.roles import Role
from chains.selectors import list_chains_for_user

HOME_CHAIN_CARDS = 12


@login_required
def home(request):
    user = request.user
    roles = [Role(code).label for code in Role.values if code in user.roles]
    has_business_role = user.has_business_role
    chains = list(list_chains_for_user(user)[: HOME_CHAIN_CARDS + 1]) if has_business_role else []
    context = {
        "roles": roles,
        "has_business_role": has_business_role,
        "chains": chains[:HOME_CHAIN_CARDS],
        "more_chains": len(chains) > HOME_CHAIN_CARDS,
    }
    return render(request, "home.html", context)


def health(request):
    """Liveness and database reachability, for the load balancer and `docker compose`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- error pages: the portal's own, and JSON in the documented shape on every /api/ path --------------
# (DRF's exception handler answers for the API's views; these answer for what never reaches one: a
# path no route matches, such as /api/v1/issues/abc/, and a crash.)
def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, code: str, detail) -> JsonResponse:
    return JsonResponse({"code": code, "detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False})


def page_not_found(request, exception):
    if _is_api(request):
        return _api_error(404, "not_found", NotFound.default_detail)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _api_error(403, "permission_denied", PermissionDenied.default_detail)
    return defaults.permission_denied(request, exception)


def bad_request(request, exception):
    if _is_api(request):
        return _api_error(400, "malformed_request", ParseError.default_detail)
    return defaults.bad_request(request, exception)


def server_error(request):
    if _is_api(request):
        return _api_error(500, "server_error", _("A server error occurred; it has been logged."))
    return defaults.server_error(request)
