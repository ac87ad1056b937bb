"""Request-level guards: what must act before Django reads a request body or runs a view, and the one
error shape on every /api/ answer."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.response import Response

from accounts.audit import client_ip
from chainparty import throttle
from chainparty.api import api_error_response

# Headers of an error that a client acts on, kept when its body is replaced.
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiErrorsMiddleware:
    """Every error on an /api/ path is JSON in the documented shape, whoever answered it. The API's
    views do (chainparty.api.exception_handler) and so do the error handlers without DEBUG
    (chainparty.views); with DEBUG, Django answers a path no route matches, or a crash, with its
    technical HTML page instead, which no API client reads (the traceback is still logged, by the
    `django.request` logger). Outermost, so it sees every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not isinstance(response, Response)  # an API view's own answer, in the format asked for
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replaced = api_error_response(response.status_code)
            for header in _KEPT_HEADERS:
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BYTES with a 413, before a byte
    of it is read: an upload's size is otherwise known only once the whole body has arrived (and
    been written to disk). Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out. A body sent
    without a length (chunked) is capped by the reverse proxy (docs: README, production)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            message = _("The request is larger than %(limit)d MB; send smaller or fewer files.") % {
                "limit": limit // (1024 * 1024)
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "request_too_large", "detail": message}, status=413)
            return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)


class ThrottleMiddleware:
    """Per-address limits on what anyone may ask without signing in (settings.RATE_LIMITS, counted by
    chainparty.throttle); past one, a 429 with Retry-After — JSON on /api/, the portal's page
    elsewhere.

    - "login": every POST to the sign-in forms, the portal's and the back office's, counted before
      the view runs (django-axes also locks a username after its failures at one address; this
      bounds one address trying many names).
    - "api_anonymous" and "calendar_feed": where a secret token is the only credential (an API
      token, a calendar feed's link), only refusals are counted — a 401 on /api/, a 404 of
      /meetings/feed/<token>.ics — and past the limit the refusal is answered 429 instead. A valid
      token is never counted and costs no query: the tokens are 160 random bits (no guessing to
      slow down), so the limit is there to make a misconfigured or flooding client back off.
    - "set_language": the language switch, counted before the view.
    /health/ is not limited: the load balancer's probe must never be refused (a 429 would take a
    healthy server out of rotation), and its one SELECT costs less than counting it would.
    Signed-in users' own writes have their own limits (issues: ISSUE_SUBMIT_LIMIT_PER_HOUR)."""

    # The kinds counted by their refusals, and the status that is one.
    COUNT_REFUSALS = {"api_anonymous": 401, "calendar_feed": 404}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kind = self._kind(request)
        rate = settings.RATE_LIMITS.get(kind) if kind else None
        if kind is None or rate is None:
            return self.get_response(request)
        key = f"{kind}:{self._address(request)}"
        refusal = self.COUNT_REFUSALS.get(kind)
        if refusal is not None:
            response = self.get_response(request)
            if response.status_code == refusal:
                wait = throttle.hit(key, rate)
                if wait is not None:
                    return self._refuse(request, wait)
            return response
        wait = throttle.hit(key, rate)
        if wait is not None:
            return self._refuse(request, wait)
        return self.get_response(request)

    @staticmethod
    def _kind(request) -> str | None:
        path = request.path
        if path.startswith("/api/"):
            return "api_anonymous"
        if path.startswith("/meetings/feed/"):
            return "calendar_feed"
        if request.method != "POST":
            return None
        if path in (reverse("accounts:login"), reverse("admin:login")):
            return "login"
        if path == reverse("set_language"):
            return "set_language"
        return None

    @staticmethod
    def _address(request) -> str:
        return client_ip(request) or request.META.get("REMOTE_ADDR") or "unknown"

    @staticmethod
    def _refuse(request, wait: int):
        message = _("Too many requests; try again in %(seconds)d seconds.") % {"seconds": wait}
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"code": "rate_limited", "detail": message}, status=429, json_dumps_params={"ensure_ascii": False}
            )
        else:
            response = render(request, "429.html", {"message": message}, status=429)
        response["Retry-After"] = str(wait)
        return response
