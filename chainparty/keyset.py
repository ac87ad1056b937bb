"""Keyset pages: the rows after (or before) a given row in the list's order, which cost the same at
any depth — an OFFSET reads and throws away every row before the page (page 300 of an issue list:
260 ms against 12 ms for the same rows after a cursor, issue 13).

A cursor is the ordering's values of one row, in an opaque URL-safe token. It is offered for an
ordering of the model's own non-null columns ending in the primary key (a total order), such as
the issue list's (-created_at, -id) or the enterprise list's (name, id); any other ordering keeps
numbered pages only.
"""

import base64
import binascii
import json
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet

Ordering = list[tuple[str, bool]]  # (attribute name, descending)


class BadCursor(ValueError):
    pass


def ordering(queryset: QuerySet) -> Ordering | None:
    """The queryset's order as keyset terms, or None when it cannot be one."""
    model: type[Model] = queryset.model
    terms = list(queryset.query.order_by) or list(model._meta.ordering)
    result: Ordering = []
    for term in terms:
        if not isinstance(term, str) or "__" in term or term.startswith("?"):
            return None
        name = term.lstrip("-")
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:
            return None  # an annotation
        if not getattr(field, "concrete", False) or field.null:
            return None
        result.append((field.attname, term.startswith("-")))
    if not result or result[-1][0] != model._meta.pk.attname:
        return None
    return result


def encode(row: Model | dict, order: Ordering, *, backwards: bool = False) -> str:
    """The cursor of a row: a model instance, or a dict of `.values()` holding the order's columns."""
    if isinstance(row, dict):
        values = [_plain(row[name]) for name, _ in order]
    else:
        values = [_plain(getattr(row, name)) for name, _ in order]
    payload = json.dumps({"v": values, "b": backwards}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode(token: str, order: Ordering, model: type[Model]) -> tuple[list[Any], bool]:
    """The values and the direction of a cursor; BadCursor when it is not one of this list's."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        raw, backwards = payload["v"], payload["b"]
        if not isinstance(raw, list) or len(raw) != len(order) or not isinstance(backwards, bool):
            raise BadCursor
        values = [_field(model, name).to_python(value) for (name, _), value in zip(order, raw, strict=True)]
    except (binascii.Error, UnicodeDecodeError, ValueError, KeyError, TypeError, ValidationError) as exc:
        raise BadCursor from exc
    if any(value is None for value in values):
        raise BadCursor
    return values, backwards


def beyond(queryset: QuerySet, order: Ordering, values: list[Any], *, backwards: bool = False) -> QuerySet:
    """The rows after `values` in `order` (before them when `backwards`, in reverse order), as
    (a, b) > (x, y) spelled a > x OR (a = x AND b > y), with the first column's bound also alone so
    that the index range starts at the cursor instead of being filtered from the list's start."""
    condition = Q(pk__in=[])
    for position, (name, descending) in enumerate(order):
        later = "lt" if descending != backwards else "gt"
        equal = {prior: values[index] for index, (prior, _) in enumerate(order[:position])}
        condition |= Q(**equal, **{f"{name}__{later}": values[position]})
    first, descending = order[0]
    bound = "lte" if descending != backwards else "gte"
    terms = [("-" if descending != backwards else "") + name for name, descending in order]
    return queryset.filter(condition, **{f"{first}__{bound}": values[0]}).order_by(*terms)


def _field(model: type[Model], attname: str):
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    raise BadCursor(attname)


def _plain(value: Any) -> Any:
    if isinstance(value, int | str | float | bool) or value is None:
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
