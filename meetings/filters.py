"""One FilterSet for the meeting list, shared by the page and the API (same parameter names)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chainparty.filters import FROM, TO, DayFilter, Pinyin, ScopedFilterSet, SearchFilter, SortFilter, choice_rank
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

    q = SearchFilter(label=_("Title, chain or place"), fields=("title", "chain__name", "place"))
    quarter = QuarterFilter(label=_("Quarter"), help_text=_("e.g. 2027Q1"))
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.none(), empty_label=ANY)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, method="filter_kind", empty_label=ANY)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=ANY)
    starts_after = DayFilter("starts_at", bound=FROM, instant=True, label=_("Held from"))
    starts_before = DayFilter("starts_at", bound=TO, instant=True, label=_("Held until"))
    ordering = SortFilter(
        {
            "date": (_("Date"), ("starts_at",)),
            "chain": (_("Chain"), (Pinyin("chain__name"),)),
            "status": (_("Status"), (choice_rank("status", Status),)),
        }
    )

    scoped_choices = {"chain": Chain}

    class Meta:
        model = Meeting
        fields = ["q", "quarter", "chain", "kind", "status", "starts_after", "starts_before", "ordering"]

    def filter_kind(self, queryset, name, value):
        return queryset.of_kind(value)
