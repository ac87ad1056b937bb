"""One FilterSet per list of the secretaries app, used by the page and the API alike. Built with the
requesting user (chainparty.filters.ScopedFilterSet): a chain or park outside scope is "not a valid
choice", the same answer as one that does not exist."""

import json

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import Unit
from chainparty.filters import (
    FROM,
    SEARCH_MAX_LENGTH,
    TO,
    BooleanFilter,
    DayFilter,
    Pinyin,
    ScopedFilterSet,
    SearchFilter,
    SortFilter,
    choice_rank,
)
from chains.models import Chain, Park
from secretaries.models import (
    Cadre,
    Posting,
    PostingKind,
    PostingStatus,
    SourceKind,
    WorkLog,
    WorkLogKind,
    young_cutoff,
)


class CadreFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Name, position or expertise"), method="filter_q", max_length=SEARCH_MAX_LENGTH
    )
    source_kind = django_filters.ChoiceFilter(label=_("Source"), choices=SourceKind.choices)
    source_unit = django_filters.ModelChoiceFilter(label=_("Source unit"), queryset=Unit.objects.order_by("name"))
    party_member = BooleanFilter(label=_("Party member"))
    young = BooleanFilter(label=_("Young cadre"), method="filter_young")
    ordering = SortFilter(
        {
            "name": (_("Name"), (Pinyin("name"),)),
            "source_unit": (_("Source unit"), (Pinyin("source_unit__name"),)),
            "birth_date": (_("Date of birth"), ("birth_date",)),
            "created": (_("Added"), ("created_at",)),
        }
    )

    class Meta:
        model = Cadre
        fields = ["q", "source_kind", "source_unit", "party_member", "young", "ordering"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # expertise is a JSON list, searched in its text form. PostgreSQL's jsonb text has the
        # characters themselves; SQLite (the embedded default) keeps json.dumps' \uXXXX escapes, so
        # the escaped form is looked for too.
        escaped = json.dumps(value)[1:-1]
        return queryset.filter(
            Q(name__icontains=value)
            | Q(position__icontains=value)
            | Q(expertise__icontains=value)
            | Q(expertise__icontains=escaped)
        )

    def filter_young(self, queryset, name, value):
        if value is None:
            return queryset
        young = Q(birth_date__gt=young_cutoff(timezone.localdate()))
        return queryset.filter(young) if value else queryset.exclude(young)


class PostingFilter(ScopedFilterSet):
    q = SearchFilter(
        label=_("Cadre, enterprise or park"),
        fields=("cadre__name", "enterprise__name", "enterprise__credit_code", "park__name"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PostingKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PostingStatus.choices)
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.all(), method="filter_chain")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=Park.objects.all(), method="filter_park")
    source_unit = django_filters.ModelChoiceFilter(
        label=_("Source unit"), queryset=Unit.objects.order_by("name"), field_name="cadre__source_unit"
    )

    started_after = DayFilter("start_date", bound=FROM, instant=False, label=_("Started from"))
    started_before = DayFilter("start_date", bound=TO, instant=False, label=_("Started until"))
    ordering = SortFilter(
        {
            "start": (_("Start date"), ("start_date",)),
            "end": (_("End date"), ("end_date",)),
            "cadre": (_("Cadre"), (Pinyin("cadre__name"),)),
            "status": (_("Status"), (choice_rank("status", PostingStatus),)),
        }
    )

    scoped_choices = {"chain": Chain, "park": Park}

    class Meta:
        model = Posting
        fields = ["q", "kind", "status", "chain", "park", "source_unit", "started_after", "started_before", "ordering"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_chain(self, queryset, name, value):
        return queryset.filter(enterprise__memberships__chain=value) if value else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def filter_park(self, queryset, name, value):
        return queryset.filter(Q(park=value) | Q(enterprise__park=value)) if value else queryset


class WorkLogFilter(ScopedFilterSet):
    posting = django_filters.NumberFilter(label=_("Posting"), field_name="posting_id")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=WorkLogKind.choices)
    date_from = DayFilter("date", bound=FROM, instant=False, label=_("From"))
    date_to = DayFilter("date", bound=TO, instant=False, label=_("To"))
    q = SearchFilter(label=_("Summary or cadre"), fields=("summary", "posting__cadre__name"))
    ordering = SortFilter({"date": (_("Date"), ("date",))})

    class Meta:
        model = WorkLog
        fields = ["posting", "kind", "date_from", "date_to", "q", "ordering"]
