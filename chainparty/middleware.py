"""Request-level guards that must act before Django reads a request body."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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
