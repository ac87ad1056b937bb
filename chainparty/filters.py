"""One FilterSet per list, shared by the page and the API (same parameter names, same messages).

A FilterSet is built with the requesting user and offers only the choices the user may see, so an id
outside the user's scope is "not a valid choice" — the same answer as an id that does not exist.

Finding things, the same on every list (declare them on the list's FilterSet):

- `q = SearchFilter(fields=(...))`: every word of `?q=` must be found (icontains) in one of the
  fields. `?search=` is accepted as its alias.
- `ordering = SortFilter({"created": (_("Created"), ("created_at",)), ...})`: `?ordering=created`
  ascending, `-created` descending (`?sort=` is its alias), ties broken by id so that pages never
  repeat a row; a key the list does not sort by is a 400 naming `ordering` and listing the keys.
- `created_after = DayFilter("created_at", bound=FROM, instant=True)` and its `TO`: a day in
  Asia/Shanghai, inclusive, on a date or a datetime column.

An alias and its parameter sent with different values is a 400 naming both (never one silently
ignored)."""

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, cast

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Expression, F, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.functions import Collate
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ChoiceField as FilterChoiceField
from django_filters.rest_framework import DjangoFilterBackend

from chainparty.dates import DAY_VALIDATORS, start_of_day

# alias → the parameter it stands for, on every FilterSet that has that parameter.
ALIASES = {"search": "q", "sort": "ordering"}
SEARCH_MAX_LENGTH = 100


class _RawNullBooleanSelect(forms.NullBooleanSelect):
    # Django's select turns any value it does not know into "unknown"; hand the field what was sent.
    def value_from_datadict(self, data, files, name):
        return data.get(name)


class StrictNullBooleanField(forms.NullBooleanField):
    """true or false (what the API documents and the page's select sends), blank for "not given";
    anything else is refused with a reason, never silently read as "not given"."""

    widget = _RawNullBooleanSelect

    def to_python(self, value):
        if value in (None, "", "unknown"):  # "unknown": the select's own "any" option
            return None
        text = str(value).strip().lower()
        if text == "true":
            return True
        if text == "false":
            return False
        raise forms.ValidationError(_("Give true or false."), code="invalid")

    def validate(self, value):
        return


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses what is neither (use it instead of django-filter's)."""

    field_class = StrictNullBooleanField


class UserScopedFilterBackend(DjangoFilterBackend):
    """django-filter, with the requesting user handed to the FilterSet (``user=`` keyword).

    The FilterSets used with it (ScopedFilterSet) offer only the choices the user may see, so a
    chain id outside the user's scope is "not a valid choice" — the same answer as an id that does
    not exist.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not asks_a_filter(request.query_params, filterset_class):
            # No parameter of the FilterSet: it would validate empty fields and give the rows as they
            # are. Building it deep-copies every filter (with their querysets) and a form: milliseconds
            # on the hottest requests, a list's first page (issue 13).
            return queryset
        return super().filter_queryset(request, queryset, view)


def asks_a_filter(query, filterset_class) -> bool:
    """Whether the query names one of the FilterSet's filters or an alias of one. Each filter here
    reads the one parameter of its name (tests/plumbing/test_filters.py keeps it so: no filter of
    several parameters, such as a range)."""
    names = filterset_class.base_filters
    return any(key in names or ALIASES.get(key) in names for key in query)


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet built with the requesting user (``user=``), for pages and UserScopedFilterBackend.

    ``scoped_choices`` maps a ModelChoiceFilter's name to its model: the choices are the rows the
    user may see (``Model.objects.visible_to(user)``), so one outside scope is "not a valid choice".
    """

    scoped_choices: dict[str, type[Model]] = {}

    def __init__(self, data=None, *args, user=None, **kwargs):
        data, self._alias_conflicts = _resolve_aliases(data, self.base_filters)
        super().__init__(data, *args, **kwargs)
        if user is not None:
            for name, model in self.scoped_choices.items():
                choice = self.filters[name]
                assert isinstance(choice, django_filters.ModelChoiceFilter), name
                # visible_to is the model's ScopedQuerySet method, which a bare Model type does not name.
                choice.queryset = model._default_manager.all().visible_to(user)  # type: ignore[attr-defined]

    def get_form_class(self):
        form_class = super().get_form_class()
        conflicts = self._alias_conflicts
        if not conflicts:
            return form_class

        def clean(form):
            cleaned = form_class.clean(form)
            for alias, name in conflicts:
                message = _("Give %(name)s or its alias %(alias)s, not both with different values.")
                form.add_error(
                    name, ValidationError(message, code="alias_conflict", params={"name": name, "alias": alias})
                )
            return cleaned

        return type(form_class.__name__, (form_class,), {"clean": clean})

    def page_rows(self) -> QuerySet:
        """What a page lists: the filtered rows, or none while a filter is invalid (the page shows the
        error, never the unfiltered list; the API answers 400)."""
        return self.qs.none() if self.is_bound and not self.is_valid() else self.qs


def _resolve_aliases(data, filters: Mapping) -> tuple:
    """The query with each alias (ALIASES) read as its parameter, and the aliases sent with a value
    that contradicts their parameter's."""
    if not data or not any(alias in data for alias in ALIASES):
        return data, []
    data = data.copy()
    conflicts = []
    for alias, name in ALIASES.items():
        if name not in filters or alias not in data:
            continue
        value = data.pop(alias)
        value = value[-1] if isinstance(value, list) else value
        if data.get(name, "") in ("", value):
            data[name] = value
        else:
            conflicts.append((alias, name))
    return data, conflicts


class SearchFilter(django_filters.CharFilter):
    """`?q=`: every word (split at spaces) must be in one of `fields` (case-insensitive substring).
    Longer than SEARCH_MAX_LENGTH is refused, naming the parameter."""

    def __init__(self, *, fields: Sequence[str], label: Any = None, **kwargs):
        self.search_fields = tuple(fields)
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(label=label or _("Search"), **kwargs)

    def filter(self, qs, value):
        words = (value or "").split()
        for word in words:
            match = Q(pk__in=[])
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            qs = qs.filter(match)
        return qs


class _SortField(FilterChoiceField):
    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            allowed = ", ".join(str(key) for key, _label in cast(list, self.choices) if key)
            raise ValidationError(
                _("“%(value)s” is not a sort key; sort by one of: %(allowed)s."),
                code="invalid_choice",
                params={"value": value, "allowed": allowed},
            ) from None


def _direction_label_now(title, descending: bool) -> str:
    if descending:
        return _("%(column)s, descending") % {"column": title}
    return _("%(column)s, ascending") % {"column": title}


# Translated when shown, in the reader's language (the choices are built at import).
_direction_label = lazy(_direction_label_now, str)


# A sort key: its label and the columns (names or expressions) it orders by, in order.
SortKey = tuple[str | Promise, Sequence[Any]]


class SortFilter(django_filters.ChoiceFilter):
    """`?ordering=key` ascending, `-key` descending, over the keys a list declares. Empty NULLs go
    last either way (an issue without a deadline is not the most urgent), and the id breaks ties, so
    that paging is stable. Not given: the list's own order (its selector's)."""

    field_class = _SortField

    def __init__(self, keys: Mapping[str, SortKey], *, label: Any = None, **kwargs):
        self.keys = dict(keys)
        choices = []
        for key, (title, _columns) in self.keys.items():
            choices.append((key, _direction_label(title, descending=False)))
            choices.append((f"-{key}", _direction_label(title, descending=True)))
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(label=label or _("Sort by"), choices=choices, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        descending = value.startswith("-")
        _title, columns = self.keys[value.removeprefix("-")]
        order = []
        for column in columns:
            expression = F(column) if isinstance(column, str) else column
            order.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        order.append(F("pk").desc() if descending else F("pk").asc())
        return qs.order_by(*order)


class Pinyin(Collate):
    """Chinese text in pinyin order (甲 jiǎ before 乙 yǐ), as people look names up, through
    PostgreSQL's ICU collation; the embedded SQLite orders by code point."""

    def __init__(self, expression: str | Expression):
        super().__init__(F(expression) if isinstance(expression, str) else expression, "zh-x-icu")

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


def choice_rank(field: str, choices: type[models.TextChoices]) -> Case:
    """A TextChoices column ordered as its choices are declared (a workflow's order), not by code."""
    whens = [When(**{field: value}, then=Value(index)) for index, value in enumerate(choices.values)]
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


FROM, TO = "from", "to"


class DayFilter(django_filters.DateFilter):
    """A day as an inclusive bound (`bound=FROM` or `TO`) of a date column, or of a datetime column
    (`instant=True`) read as that day in Asia/Shanghai. Years outside 1900–2099 are refused."""

    def __init__(self, field_name: str, *, bound: str, instant: bool, **kwargs):
        assert bound in (FROM, TO), bound
        self.bound, self.instant = bound, instant
        kwargs.setdefault("validators", DAY_VALIDATORS)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        if not self.instant:
            return qs.filter(**{f"{self.field_name}__{'gte' if self.bound == FROM else 'lte'}": value})
        if self.bound == FROM:
            return qs.filter(**{f"{self.field_name}__gte": start_of_day(value)})
        return qs.filter(**{f"{self.field_name}__lt": start_of_day(value + timedelta(days=1))})
