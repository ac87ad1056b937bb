"""One FilterSet per list, shared by the page and the API (same parameter names, same messages).

A FilterSet is built with the requesting user and offers only the choices the user may see, so an id
outside the user's scope is "not a valid choice" — the same answer as an id that does not exist."""

import django_filters
from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend


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


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet built with the requesting user (``user=``), for pages and UserScopedFilterBackend.

    ``scoped_choices`` maps a ModelChoiceFilter's name to its model: the choices are the rows the
    user may see (``Model.objects.visible_to(user)``), so one outside scope is "not a valid choice".
    """

    scoped_choices: dict[str, type[Model]] = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            for name, model in self.scoped_choices.items():
                choice = self.filters[name]
                assert isinstance(choice, django_filters.ModelChoiceFilter), name
                # visible_to is the model's ScopedQuerySet method, which a bare Model type does not name.
                choice.queryset = model._default_manager.all().visible_to(user)  # type: ignore[attr-defined]

    def page_rows(self) -> QuerySet:
        """What a page lists: the filtered rows, or none while a filter is invalid (the page shows the
        error, never the unfiltered list; the API answers 400)."""
        return self.qs.none() if self.is_bound and not self.is_valid() else self.qs
