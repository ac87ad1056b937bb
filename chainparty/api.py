"""Shared REST plumbing: pagination, the user-scoped filter backend, and one error shape for every
API error."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class UserScopedFilterBackend(DjangoFilterBackend):
    """django-filter, with the requesting user handed to the FilterSet (``user=`` keyword).

    The FilterSets used with it offer only the choices the user may see, so a chain id outside
    the user's scope is "not a valid choice" — the same answer as an id that does not exist.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}


class ErrorSerializer(serializers.Serializer):
    """The one error shape, for the OpenAPI document."""

    code = serializers.CharField(help_text="Machine-readable: invalid, malformed_request, not_found, ...")
    detail = serializers.CharField(help_text="A sentence for people: the first problem.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Validation errors only: {"field" or "list.0.field": [messages]}.',
    )


class Conflict(exceptions.APIException):
    """409: the request is well formed but the object's state does not allow it (a workflow step)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The object's current state does not allow this action.")
    default_code = "conflict"


def exception_handler(exc, context):
    """Errors are JSON: {"code": ..., "detail": ..., "errors": {field: [messages]}}.

    `errors` is present for validation errors only; nested fields are flattened to dotted paths
    ("honours.1.year"), so every key names a field and every value is a list of messages.
    A Django ValidationError raised by a service (model validation, a domain rule) becomes a 400
    with the same field messages, so services need not know about DRF; Django's PermissionDenied
    and Http404 become 403 and 404 the same way.
    """
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"code": _code_for(exc)}
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(response.data)
        body["detail"] = _first_message(errors)
        body["errors"] = errors
    elif response.status_code == status.HTTP_404_NOT_FOUND:
        # Never echo why: an object outside the user's scope is indistinguishable from none at all.
        body["detail"] = str(exceptions.NotFound.default_detail)
    else:
        data = response.data
        body["detail"] = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
    return Response(body, status=response.status_code, headers=_headers(response))


def _as_api_exception(exc):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            errors = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        return exceptions.ValidationError(errors)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc)
        return exceptions.PermissionDenied(message or None)
    return exc


def _code_for(exc) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    if isinstance(exc, exceptions.ParseError):
        return "malformed_request"
    if isinstance(exc, exceptions.NotFound):
        return "not_found"
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            return codes
    return getattr(exc, "default_code", "error")


def _flatten(data, prefix: str = "") -> dict[str, list[str]]:
    """{"honours": [{}, {"year": ["…"]}]} → {"honours.1.year": ["…"]}; plain lists stay as they are."""
    if isinstance(data, list) and not any(isinstance(item, dict | list) for item in data):
        return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in data]}
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = ((str(index), item) for index, item in enumerate(data))
    else:
        return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(data)]}
    flat: dict[str, list[str]] = {}
    for key, value in items:
        if not value:
            continue
        path = f"{prefix}.{key}" if prefix else str(key)
        for field, messages in _flatten(value, path).items():
            flat.setdefault(field, []).extend(messages)
    return flat


def _first_message(errors: dict[str, list[str]]) -> str:
    for field, messages in errors.items():
        if messages:
            return f"{field}: {messages[0]}"
    return ""


def _headers(response) -> dict:
    return {key: value for key, value in response.items() if key in ("WWW-Authenticate", "Retry-After", "Allow")}
