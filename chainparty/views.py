"""Pages of the project as a whole: the home page, which draws on several apps, and the health check.
They live here, above every app, so that no app needs to import another to build them."""

from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.http import require_safe

from accounts.roles import Role
from chainparty.api import api_error_response
from chains.selectors import list_chains_for_user

HOME_CHAIN_CARDS = 12
FAVICON = Path(settings.BASE_DIR, "static", "favicon.ico")

# What each back-office list is for, on the administrators' home (which lists a user gets is the
# admin's own permission check: admin.site.get_app_list).
ADMIN_WORK = {
    "accounts.user": _("Create accounts, attach them to a unit or an enterprise, grant roles, deactivate them."),
    "auth.group": _("Who holds each role."),
    "authtoken.tokenproxy": _("Issue, rotate and revoke the API tokens of other systems' accounts."),
    "accounts.auditevent": _(
        "Sign-ins, changes of accounts and roles, exports and reads of personal data: filter, search, export to Excel."
    ),
    "axes.accessattempt": _("Accounts locked after repeated failed sign-ins."),
    "axes.accesslog": _("Every sign-in and sign-out, with its address."),
    "axes.accessfailurelog": _("Every failed sign-in, with its address."),
}


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
        "admin_work": [] if has_business_role else _admin_work(request),
    }
    return render(request, "home.html", context)


def _admin_work(request) -> list[dict]:
    """The back-office lists this administrator may open, as the admin's index offers them."""
    work = []
    for app in admin.site.get_app_list(request):
        for model in app["models"]:
            key = f"{app['app_label']}.{model['object_name'].lower()}"
            work.append({"name": model["name"], "url": model["admin_url"], "about": ADMIN_WORK.get(key, "")})
    return work


@require_safe
def favicon(request):
    """/favicon.ico, which a browser asks for on its own (the admin's pages, the API's, a first visit)."""
    response = FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


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


def page_not_found(request, exception):
    if _is_api(request):
        return api_error_response(404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return api_error_response(403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """A form sent without its (or with an expired) CSRF token: usually a page left open past the
    session, or cookies blocked. Django's own page says so in technical English."""
    message = _(
        "The form had expired, or your browser refused the portal's cookie. Go back, reload the page and send it again."
    )
    if _is_api(request):
        return api_error_response(403, code="csrf_failed", detail=message)
    return render(request, "403.html", {"reason": message}, status=403)


def bad_request(request, exception):
    if _is_api(request):
        return api_error_response(400)
    return defaults.bad_request(request, exception)


def server_error(request):
    if _is_api(request):
        return api_error_response(500)
    return defaults.server_error(request)
