"""Lean list rows: a list's page read as values (``QuerySet.values``) and shaped by a plain function
into exactly what the list's documented serializer gives, which stays the OpenAPI schema and the
shape of the detail and of every other answer.

Why: for a page of 50 rows, building model instances and running DRF's nested serializers (four
references per issue) cost more than the page's SQL (issue 13, docs/benchmarks.md). Each app's lean
rows are tested equal to its serializer's output on the same rows (the apps' API tests:
`test_the_list_rows_are_what_…`), so the two cannot drift apart unnoticed.

The values are formatted by DRF's own fields, made once per page rather than once per value (a
DateTimeField asks for the current time zone on every call otherwise)."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings


def ref(pk: Any, name: Any) -> dict | None:
    """How one object names another ({id, name}), or None when the reference is empty."""
    return None if pk is None else {"id": pk, "name": name}


def datetime_format() -> Callable[[datetime | None], str | None]:
    """DRF's DateTimeField.to_representation (ISO 8601 in the current time zone, None for None), with
    the time zone read once; an aware value in ISO 8601, DRF's default, without its per-value checks
    (three datetimes on each of 50 rows)."""
    zone = timezone.get_current_timezone()
    field = serializers.DateTimeField(default_timezone=zone)
    iso = str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601

    def format_datetime(value: datetime | None) -> str | None:
        if value is None:
            return None
        if not iso or value.tzinfo is None:
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return format_datetime


def decimal_format(*, max_digits: int, decimal_places: int) -> Callable[[Decimal | None], str | None]:
    """DRF's DecimalField.to_representation for a model DecimalField of these digits (a string)."""
    field = serializers.DecimalField(max_digits=max_digits, decimal_places=decimal_places)

    def format_decimal(value: Decimal | None) -> str | None:
        return None if value is None else field.to_representation(value)

    return format_decimal
