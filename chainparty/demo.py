"""The one writer behind every app's demo data (`manage.py seed_demo`).

An app's demo module lists its rows; `ensure` matches them by natural key, creates the missing ones
and leaves an existing row exactly as it is (staff may have edited it in the admin). So a second run
writes nothing, and each call costs one SELECT and at most one bulk INSERT whatever the number of rows.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

BATCH_SIZE = 2000

M = TypeVar("M", bound=models.Model)


class SeedError(Exception):
    """The demo data cannot be written as asked; the message says why."""


def ensure(
    model: type[M],
    key: str | tuple[str, ...],
    rows: Iterable[dict[str, Any]],
    created: Counter,
    *,
    label: str | None = None,
    prepare: Callable[[M], None] | None = None,
) -> dict[Any, M]:
    """Create the rows whose natural key is missing; return every row (old and new) by key.

    `rows` give field values by attname (`chain_id`, not `chain`). `key` names the natural-key field,
    or a tuple of them, and the result is keyed alike: by the value, or by the tuple of values.
    `prepare(obj)` runs on each new instance before the insert (to hash a password, say). The number
    of new rows is added to `created[label]`, the model's label unless another is given.
    """
    fields = (key,) if isinstance(key, str) else key

    def key_of(values: tuple) -> Any:
        return values[0] if isinstance(key, str) else values

    def key_of_obj(obj: M) -> Any:
        return key_of(tuple(getattr(obj, name) for name in fields))

    rows = list(rows)
    by_key = {key_of(tuple(row[name] for name in fields)): row for row in rows}
    if len(by_key) != len(rows):
        raise ValueError(f"duplicate natural keys in the demo rows of {model._meta.label}")
    # Narrow on every key field (the curated memberships must not load the synthetic ones); a NULL
    # key part, which `IN` never matches, is looked for apart.
    lookup = Q()
    for name in fields:
        values = {row[name] for row in rows}
        clause = Q(**{f"{name}__in": values - {None}})
        if None in values:
            clause |= Q(**{f"{name}__isnull": True})
        lookup &= clause
    existing = {key_of_obj(obj): obj for obj in model._default_manager.filter(lookup)}
    missing = []
    for row_key, row in by_key.items():
        if row_key not in existing:
            obj = model(**row)
            if prepare:
                prepare(obj)
            missing.append(obj)
    if missing:
        model._default_manager.bulk_create(missing, batch_size=BATCH_SIZE)
        created[label or model._meta.label] += len(missing)
        for obj in missing:
            existing[key_of_obj(obj)] = obj
    return existing


def through(model: type[models.Model], field_name: str) -> type[models.Model]:
    """The table behind a many-to-many field, for `ensure` to write its links like any other row."""
    field = model._meta.get_field(field_name)
    table = field.remote_field.through if isinstance(field, models.ManyToManyField) else None
    if table is None:
        raise TypeError(f"{model._meta.label}.{field_name} is not a many-to-many field")
    return table
