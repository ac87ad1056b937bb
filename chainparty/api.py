"""Shared REST plumbing: pagination, the user-scoped filter backend, input parsing, and one error
shape for every API error, with its OpenAPI responses."""

from collections.abc import Sequence
from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import IntegerField, QuerySet, Subquery
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from chainparty import keyset
from chainparty.errors import IdempotencyKeyReused, InvalidTransition, RateLimited
from chainparty.scope import get_visible_or_404


class RowCount(Subquery):
    """The number of rows of a query, as a value of another statement: (SELECT COUNT(*) FROM (…)),
    uncorrelated, so the database computes it once for the statement."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


class ValuesPaginator(DjangoPaginator):
    """Django's paginator reading the page as `.values(*columns)`, with the count in the page's own
    statement (a RowCount of what the queryset's count() counts): one round trip and one compiled
    query fewer per page. A page that finds no row (an empty list, or past the end) counts apart, and
    Django's paginator then answers as usual (an empty first page, or EmptyPage)."""

    TOTAL = "_paginator_total"

    def __init__(self, object_list, per_page, *, columns: Sequence[str], **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.columns = columns

    def page(self, number):
        if "count" in self.__dict__ or not hasattr(self.object_list, "counted"):
            return super().page(number)  # counted already (`?page=last`), or not a ScopedQuerySet
        if isinstance(number, str) and number.isdigit():
            number = int(number)
        if not isinstance(number, int) or number < 1:
            return super().page(number)  # Django's own answer to a bad number
        bottom = (number - 1) * self.per_page
        page = self.object_list.values(*self.columns).annotate(**{self.TOTAL: RowCount(self._counted())})
        rows = list(page[bottom : bottom + self.per_page])
        if not rows:
            return super().page(number)
        self.count = rows[0][self.TOTAL]
        for row in rows:
            del row[self.TOTAL]
        return self._get_page(rows, number, self)

    def _counted(self) -> QuerySet:
        """What count() counts, as a query to count the rows of (its ids alone where that is the same)."""
        counted = self.object_list.counted()
        if counted is not self.object_list:
            return counted  # the scope's ids
        query = counted.query
        if query.group_by or any(getattr(value, "contains_aggregate", False) for value in query.annotations.values()):
            return counted.order_by()
        return counted.order_by().values("pk")

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):
            object_list = object_list.values(*self.columns)
        return super()._get_page(object_list, number, paginator)


class Pagination(PageNumberPagination):
    """Numbered pages (`?page=`), and keyset pages (`?cursor=`) wherever the list's order allows
    (chainparty.keyset): `next` is then a cursor after the page's last row, so a client walking the
    list pays the same for page 300 as for page 1; `previous` from a cursor page is a cursor too."""

    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None, *, columns: Sequence[str] = ()):
        """The page's rows: model instances, or with `columns` dicts of `.values(*columns)` (a lean
        list, chainparty.rows), which only the page's query reads: the count stays the queryset's
        own, without the joins that values across relations add."""
        self.order = keyset.ordering(queryset)
        self.cursor_rows = None
        token = request.query_params.get(self.cursor_query_param)
        if token is None or self.order is None:
            if token is not None:
                raise exceptions.ValidationError({self.cursor_query_param: [_("This list has numbered pages only.")]})
            if columns:
                self.django_paginator_class = partial(ValuesPaginator, columns=columns)
            rows = super().paginate_queryset(queryset, request, view)
            self.first = self.last = None
            if rows:
                self.first, self.last = rows[0], rows[-1]
            return rows
        if self.page_query_param in request.query_params:
            raise exceptions.ValidationError({self.cursor_query_param: [_("Give a page or a cursor, not both.")]})
        try:
            values, backwards = keyset.decode(token, self.order, queryset.model)
        except keyset.BadCursor:
            raise exceptions.ValidationError({self.cursor_query_param: [_("Not a cursor of this list.")]}) from None
        self.request = request
        size = self.get_page_size(request) or api_settings.PAGE_SIZE
        self.count = queryset.count()
        beyond = keyset.beyond(queryset, self.order, values, backwards=backwards)
        fetched = list((beyond.values(*columns) if columns else beyond)[: size + 1])
        more = len(fetched) > size
        rows = fetched[:size]
        if backwards:
            rows.reverse()
        self.cursor_rows = rows
        self.first, self.last = (rows[0], rows[-1]) if rows else (None, None)
        # Walking forwards, a further page exists when one more row came; backwards, the page we came from.
        self.has_next = bool(rows) and (more if not backwards else True)
        self.has_previous = bool(rows) and (True if not backwards else more)
        return rows

    def get_next_link(self):
        if self.cursor_rows is not None:
            # A cursor page; one that found no row (a cursor past the end) has nothing after it.
            return self._cursor_link(keyset.encode(self.last, self.order)) if self.has_next else None
        if self.order is None or self.last is None:
            return super().get_next_link()
        if not self.page.has_next():
            return None
        return self._cursor_link(keyset.encode(self.last, self.order))

    def get_previous_link(self):
        if self.cursor_rows is None:
            return super().get_previous_link()
        if not self.has_previous:
            return None
        return self._cursor_link(keyset.encode(self.first, self.order, backwards=True))

    def get_paginated_response(self, data):
        if self.cursor_rows is None:
            return super().get_paginated_response(data)
        return Response(
            {"count": self.count, "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def _cursor_link(self, token: str) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_page_number(self, request, paginator):
        # A page that is not a number is a bad parameter (400 naming it), not a missing page; so is an
        # empty one (`?page=`), which the document's integer does not admit either.
        value = request.query_params.get(self.page_query_param, 1)
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
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("A keyset page: the `next` or `previous` link of a page (lists ordered by their own columns).")
                ),
                "schema": {"type": "string"},
            }
        )
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                continue
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None:
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


# What an /api/ error that no API view answered says (chainparty.views' handlers without DEBUG;
# chainparty.middleware.ApiErrorsMiddleware in place of Django's HTML pages, DEBUG or not).
_API_ERRORS = {
    400: ("malformed_request", exceptions.ParseError.default_detail),
    403: ("permission_denied", exceptions.PermissionDenied.default_detail),
    404: ("not_found", exceptions.NotFound.default_detail),
    405: ("method_not_allowed", _("This method is not allowed here.")),
    500: ("server_error", _("A server error occurred; it has been logged.")),
}


def api_error_response(status_code: int, *, code: str | None = None, detail=None) -> JsonResponse:
    """An error in the one shape, for a place that is no API view (a handler, a middleware)."""
    default_code, default_detail = _API_ERRORS.get(status_code, ("error", ""))
    body = {"code": code or default_code, "detail": str(detail if detail is not None else default_detail)}
    return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})


def validated_input(serializer_class, request, *, partial: bool = False) -> dict:
    """The request body parsed by an input serializer: its validated data, or a 400 naming each field."""
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def parsed_input(serializer_class, request) -> tuple[dict, dict[str, list[str]]]:
    """The request body parsed as far as it goes: the validated data of the fields that parsed, and
    the messages of those that did not (keyed by field name). For a service that checks every field
    itself and reports the parser's errors with its own, in one answer (`input_errors` of
    issues.services.submit_issue_once): a type error in one field does not hide the others'."""
    serializer = serializer_class(data=request.data)
    if serializer.is_valid():
        return dict(serializer.validated_data), {}
    errors = _flatten(serializer.errors)
    rest = serializer_class(data=request.data)
    for name in list(rest.fields):
        if name in errors or any(key.startswith(f"{name}.") for key in errors):
            del rest.fields[name]
    return (dict(rest.validated_data) if rest.is_valid() else {}), errors


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
