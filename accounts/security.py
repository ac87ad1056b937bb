"""Request-level security controls (MLPS 2.0 level 3), as middleware after AuthenticationMiddleware:

- IdleTimeoutMiddleware: signed out after SESSION_IDLE_TIMEOUT seconds without a request, and
  SESSION_COOKIE_AGE after signing in however active (Django alone would push that limit back at
  every session write). The last request's time is kept in the session, rewritten at most once a
  minute (a write per request would cost every page a query).
- TwoFactorMiddleware: a session that has not passed its second factor (accounts.twofactor) reaches
  nothing but the second-factor pages and signing out; the API answers it 403.
- PasswordChangeMiddleware: a user whose password was set by an administrator or has expired
  (accounts.passwords) reaches nothing but the change-password page and signing out.
- NoStoreMiddleware: `Cache-Control: no-store` on every answer to a signed-in user and on the API,
  so neither a shared proxy nor the browser's history keeps personal or business data.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext

from accounts import twofactor
from accounts.passwords import must_change_password

LAST_SEEN = "last_seen"
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_RESOLUTION = 60  # seconds


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(LAST_SEEN)
            since = request.session.get(SIGNED_IN_AT)
            idle = last is not None and now - last > settings.SESSION_IDLE_TIMEOUT
            if idle or (since is not None and now - since > settings.SESSION_COOKIE_AGE):
                logout(request)
                if _is_api(request):
                    return JsonResponse(
                        {"code": "not_authenticated", "detail": gettext("Your session has ended: sign in again.")},
                        status=401,
                    )
                messages.info(request, gettext("Your session has ended: sign in again."))
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


# Paths a user who must change their password may still reach.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/health/")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            state = twofactor.session_state(request)
            if state != twofactor.DONE:
                open_paths = {
                    reverse("accounts:two-factor-verify"),
                    reverse("accounts:two-factor-setup"),
                    reverse("accounts:logout"),
                }
                if request.path not in open_paths and not request.path.startswith(_OPEN_PREFIXES):
                    if _is_api(request):
                        return JsonResponse(
                            {
                                "code": "second_factor_required",
                                "detail": gettext("Sign in with your second factor first."),
                            },
                            status=403,
                        )
                    page = "accounts:two-factor-verify" if state == twofactor.VERIFY else "accounts:two-factor-setup"
                    return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class PasswordChangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        # The second factor comes first (TwoFactorMiddleware); then the password.
        second_factor_due = hasattr(request, "session") and request.session.get(twofactor.STATE_KEY) not in (
            None,
            twofactor.DONE,
        )
        if user is not None and user.is_authenticated and not second_factor_due and must_change_password(user):
            open_paths = {reverse("accounts:password-change"), reverse("accounts:logout")}
            if request.path not in open_paths and not request.path.startswith(_OPEN_PREFIXES):
                if _is_api(request):
                    return JsonResponse(
                        {"code": "password_change_required", "detail": gettext("Change your password first.")},
                        status=403,
                    )
                return redirect("accounts:password-change")
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if _is_api(request) or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response
