"""One FilterSet for the enterprise list, used by the page and the API alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chains.credit_code import normalise_credit_code
from chains.models import Chain, Enterprise, Honour, Park, SizeClass


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_q")
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.all(), method="filter_chain")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=Park.objects.all())
    size_class = django_filters.ChoiceFilter(label=_("Size class"), choices=SizeClass.choices)
    honour = django_filters.ChoiceFilter(label=_("Honour"), choices=Honour.choices, method="filter_honour")

    class Meta:
        model = Enterprise
        fields = ["q", "chain", "park", "size_class", "honour"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            # Offer only what the user may see; a chain id outside scope is "not a valid choice".
            self.filters["chain"].queryset = Chain.objects.visible_to(user)
            self.filters["park"].queryset = Park.objects.visible_to(user)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        code = normalise_credit_code(value)
        if len(code) == 18:
            return queryset.filter(Q(credit_code=code) | Q(name__icontains=value))
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__startswith=code))

    def filter_chain(self, queryset, name, value):
        return queryset.filter(memberships__chain=value) if value else queryset

    def filter_honour(self, queryset, name, value):
        return queryset.filter(honours__honour=value) if value else queryset
