"""One FilterSet for the meeting list, shared by the page and the API (same parameter names)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chainparty.filters import ScopedFilterSet
from chains.models import Chain
from meetings.models import Kind, Meeting, Status
from meetings.quarters import parse_quarter

ANY = _("Any")


class QuarterField(forms.CharField):
    """``2027Q1``; anything else is the field's error (a 400 naming `quarter` on the API)."""

    def clean(self, value):
        value = (super().clean(value) or "").strip().upper()
        if value:
            try:
                parse_quarter(value)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["quarter"]) from exc
        return value


class QuarterFilter(django_filters.CharFilter):
    field_class = QuarterField


class MeetingFilter(ScopedFilterSet):
    """A chain outside the user's scope is "not a valid choice", as one that does not exist."""

    quarter = QuarterFilter(label=_("Quarter"), help_text=_("e.g. 2027Q1"))
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.none(), empty_label=ANY)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, method="filter_kind", empty_label=ANY)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=ANY)

    scoped_choices = {"chain": Chain}

    class Meta:
        model = Meeting
        fields = ["quarter", "chain", "kind", "status"]

    def filter_kind(self, queryset, name, value):
        return queryset.of_kind(value)
