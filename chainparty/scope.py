"""Scope, the one way: what a user may see is a queryset filtered in SQL (each model's
``.visible_to(user)`` or a selector built on it), and a single object outside it does not exist —
a 404 on every route, page or API, never a 403 that would confirm it is there."""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def get_visible_or_404(queryset: QuerySet[M], **lookup: object) -> M:
    """Fetch one object from a user-scoped queryset; outside the user's scope it does not exist (404)."""
    try:
        return queryset.get(**lookup)
    # get() raises only the model's own DoesNotExist; it is caught through its base class because
    # the type checker does not see that per-model subclass on a generic model.
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def parse_id(value: object) -> int | None:
    """An object id as a caller sent it (a form field, JSON, a query parameter).

    Blank (``None`` or ``""``) is ``None``: not given. Anything that is not a whole number (text, a
    boolean, a float) is ``0``, which no row has, so the lookup that follows answers "not found" for
    that field instead of treating the value as absent.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return 0
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


def find_by_id(queryset: QuerySet[M], value: object) -> M | None:
    """The object of ``queryset`` with the id a caller sent (read as ``parse_id`` does), or None when
    the value is blank or no row of the queryset has it: the caller then names the field in error."""
    pk = parse_id(value)
    return None if pk is None else queryset.filter(pk=pk).first()
