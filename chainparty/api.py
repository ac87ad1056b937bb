"""Shared REST plumbing: pagination, the user-scoped filter backend, input parsing, and one error
shape for every API error, with its OpenAPI responses."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from chainparty.errors import IdempotencyKeyReused, InvalidTransition, RateLimited
from chainparty.scope import get_visible_or_404


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        # A page that is not a number is a bad parameter (400 naming it), not a missing page.
        value = request.query_params.get(self.page_query_param) or 1
        if value in self.last_page_strings:
            return value
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            raise exceptions.ValidationError({self.page_query_param: [_("A page is a whole number from 1.")]})
        return number

    def get_schema_operation_parameters(self, view):
        # The bounds the two checks below enforce, in the document too.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value not in (None, ""):
            try:
                size = int(value)
            except (TypeError, ValueError):
                size = 0
            if not 1 <= size <= self.max_page_size:
                message = _("A page size is a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return super().get_page_size(request)


class ScopedObjectMixin:
    """get_object through get_visible_or_404 on the user's scoped queryset; ids are digits only."""

    lookup_value_regex = r"[0-9]+"

    def get_object(self):
        obj = get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj


class ErrorSerializer(serializers.Serializer):
    """The one error shape, for the OpenAPI document."""

    code = serializers.CharField(help_text="Machine-readable: invalid, malformed_request, not_found, ...")
    detail = serializers.CharField(help_text="A sentence for people: the first problem.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Validation errors only: {"field" or "list.0.field": [messages]}.',
    )


class InvalidTransitionSerializer(serializers.Serializer):
    """The 409 of a workflow step that the object's state does not allow."""

    code = serializers.CharField(default="invalid_transition")
    detail = serializers.CharField()
    allowed_actions = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="What the caller may do now, where the workflow says.",
    )


# The error responses of the OpenAPI document, for extend_schema(responses={...}).
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("Invalid input; `errors` names each field and why.")),
    403: OpenApiResponse(ErrorSerializer, description=_("Not signed in, or not allowed to do this.")),
    404: OpenApiResponse(ErrorSerializer, description=_("No such object, or not in your scope.")),
}
# The 422 of a create that takes an Idempotency-Key.
KEY_REUSED = OpenApiResponse(
    ErrorSerializer, description=_("The Idempotency-Key was used before with a different request.")
)


def conflict(description: str) -> OpenApiResponse:
    """The 409 response of a workflow step, described for the object it moves."""
    return OpenApiResponse(InvalidTransitionSerializer, description=description)


def validated_input(serializer_class, request, *, partial: bool = False) -> dict:
    """The request body parsed by an input serializer: its validated data, or a 400 naming each field."""
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def exception_handler(exc, context):
    """Errors are JSON: {"code": ..., "detail": ..., "errors": {field: [messages]}}.

    `errors` is present for validation errors only; nested fields are flattened to dotted paths
    ("honours.1.year"), so every key names a field and every value is a list of messages.
    A Django ValidationError raised by a service (model validation, a domain rule) becomes a 400
    with the same field messages, so services need not know about DRF; Django's PermissionDenied
    and Http404 become 403 and 404 the same way, and a workflow's InvalidTransition (from any app)
    a 409 with the actions allowed now, where the workflow can say.
    """
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
        return Response(
            {"code": exc.code, "detail": str(exc)}, status=status.HTTP_429_TOO_MANY_REQUESTS, headers=headers
        )
    if isinstance(exc, IdempotencyKeyReused):
        return Response({"code": exc.code, "detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, InvalidTransition):
        body = {"code": exc.code, "detail": str(exc)}
        if exc.allowed_actions is not None:
            body["allowed_actions"] = exc.allowed_actions
        return Response(body, status=status.HTTP_409_CONFLICT)
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
