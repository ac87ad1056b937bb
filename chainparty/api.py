"""Shared REST plumbing: pagination and one error shape for every API error."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _code_for(exc) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    if isinstance(exc, exceptions.ParseError):
        return "malformed_request"
    if isinstance(exc, (Http404, exceptions.NotFound)):
        return "not_found"
    return getattr(exc, "default_code", "error")


def exception_handler(exc, context):
    """Errors are JSON: {"code": ..., "detail": ..., "errors": {field: [messages]}}.

    A Django ValidationError raised by a service (model validation, a domain rule) becomes a 400
    with the same field messages, so services need not know about DRF.
    """
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(errors)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"code": _code_for(exc)}
    if isinstance(exc, exceptions.ValidationError):
        detail = response.data
        if isinstance(detail, list):
            detail = {"non_field_errors": detail}
        body["detail"] = _first_message(detail)
        body["errors"] = detail
    elif response.status_code == status.HTTP_404_NOT_FOUND:
        body["detail"] = str(exceptions.NotFound.default_detail)
    else:
        body["detail"] = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
    return Response(body, status=response.status_code, headers=_headers(response))


def _first_message(errors) -> str:
    for field, messages in errors.items():
        first = messages[0] if isinstance(messages, list) and messages else messages
        if isinstance(first, dict):
            return _first_message(first)
        return f"{field}: {first}"
    return ""


def _headers(response) -> dict:
    return {key: value for key, value in response.items() if key in ("WWW-Authenticate", "Retry-After", "Allow")}
