"""The chains app's FilterSets, one per list, each used by the page and the API alike. Built with
the requesting user (chainparty.filters.ScopedFilterSet), they offer only the choices the user may
see: a chain outside scope is "not a valid choice", the same answer as a chain that does not exist."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from chainparty.filters import FROM, SEARCH_MAX_LENGTH, TO, DayFilter, Pinyin, ScopedFilterSet, SearchFilter, SortFilter
from chains.credit_code import VALUES, normalise_credit_code
from chains.models import Chain, ChainMaster, ChainMasterStatus, Enterprise, Honour, Park, ParkKind, SizeClass

PATH_CHOICES = [
    ("industry_committee", _("industry committee path")),
    ("department", _("department path")),
    ("park", _("park path")),
]


class ChainFilter(ScopedFilterSet):
    q = SearchFilter(label=_("Name or code"), fields=("name", "code"))
    path = django_filters.ChoiceFilter(label=_("Coverage path"), choices=PATH_CHOICES, method="filter_path")
    ordering = SortFilter(
        {
            "name": (_("Chain"), (Pinyin("name"),)),
            "code": (_("Code"), ("code",)),
            "enterprises": (_("Enterprises"), ("enterprise_count",)),
        }
    )

    class Meta:
        model = Chain
        fields = ["q", "path", "ordering"]

    def filter_path(self, queryset, name, value):
        return queryset.filter(**{f"path_{value}": True}) if value else queryset


class EnterpriseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_q", max_length=SEARCH_MAX_LENGTH)
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.all(), method="filter_chain")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=Park.objects.all())
    size_class = django_filters.ChoiceFilter(label=_("Size class"), choices=SizeClass.choices)
    honour = django_filters.ChoiceFilter(label=_("Honour"), choices=Honour.choices, method="filter_honour")
    created_after = DayFilter("created_at", bound=FROM, instant=True, label=_("Added from"))
    created_before = DayFilter("created_at", bound=TO, instant=True, label=_("Added until"))
    ordering = SortFilter(
        {
            "name": (_("Name"), (Pinyin("name"),)),
            "credit_code": (_("Unified social credit code"), ("credit_code",)),
            "employees": (_("Employees"), ("employees",)),
            "output": (_("Annual output (10k CNY)"), ("annual_output",)),
            "created": (_("Added"), ("created_at",)),
            "updated": (_("Last updated"), ("updated_at",)),
        }
    )

    scoped_choices = {"chain": Chain, "park": Park}

    class Meta:
        model = Enterprise
        fields = ["q", "chain", "park", "size_class", "honour", "created_after", "created_before", "ordering"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        code = normalise_credit_code(value)
        if len(code) == 18:
            return queryset.filter(Q(credit_code=code) | Q(name__icontains=value))
        if code and all(char in VALUES for char in code):
            return queryset.filter(Q(name__icontains=value) | Q(credit_code__startswith=code))
        # Not the start of any credit code (科技, say): the name alone, which the trigram index serves
        # (chains migration 0004) — an OR with the code would make it a scan of the registry.
        return queryset.filter(name__icontains=value)

    # The filter method hides the chain's type from drf-spectacular: state it.
    @extend_schema_field(OpenApiTypes.INT)
    def filter_chain(self, queryset, name, value):
        return queryset.filter(memberships__chain=value) if value else queryset

    def filter_honour(self, queryset, name, value):
        return queryset.filter(honours__honour=value) if value else queryset


class ChainMasterFilter(ScopedFilterSet):
    q = SearchFilter(label=_("Enterprise or chain"), fields=("enterprise__name", "chain__name"))
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.none())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ChainMasterStatus.choices)
    designated_after = DayFilter("designated_on", bound=FROM, instant=False, label=_("Designated from"))
    designated_before = DayFilter("designated_on", bound=TO, instant=False, label=_("Designated until"))
    ordering = SortFilter(
        {
            "enterprise": (_("Enterprise"), (Pinyin("enterprise__name"),)),
            "chain": (_("Chain"), (Pinyin("chain__name"),)),
            "status": (_("Status"), ("status",)),
            "designated": (_("Designated on"), ("designated_on",)),
        }
    )

    scoped_choices = {"chain": Chain}

    class Meta:
        model = ChainMaster
        fields = ["q", "chain", "status", "designated_after", "designated_before", "ordering"]


class ParkFilter(ScopedFilterSet):
    q = SearchFilter(label=_("Name or address"), fields=("name", "address"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ParkKind.choices)
    ordering = SortFilter(
        {
            "name": (_("Park"), (Pinyin("name"),)),
            "kind": (_("Kind"), ("kind",)),
            "enterprises": (_("Enterprises"), ("enterprise_count",)),
        }
    )

    class Meta:
        model = Park
        fields = ["q", "kind", "ordering"]
