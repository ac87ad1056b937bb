"""The party-organization list's FilterSet, shared by the page and the API (same parameter names)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

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
)
from chains.models import Chain, Park
from partyorgs import tree
from partyorgs.models import AnnualPartyPlan, MeetingKind, OrgKind, OrgMeeting, Pairing, PartyOrganization, Programme


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField  # a year is whole: 2026.5 is refused, not rounded


class OrganizationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or secretary"), method="filter_q", max_length=SEARCH_MAX_LENGTH)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrgKind.choices)
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.none(), method="filter_chain")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=Park.objects.none(), method="filter_park")
    # Numbers, not choices: the registry holds 40,000 enterprises, too many for a form's options. An
    # id outside the user's scope matches nothing, like one that does not exist.
    covers = django_filters.NumberFilter(label=_("Covers enterprise (id)"), method="filter_covers")
    descendants_of = django_filters.NumberFilter(label=_("Below organization (id)"), method="filter_descendants_of")
    top_level = BooleanFilter(label=_("Top level only"), method="filter_top_level")
    established_after = DayFilter("established_on", bound=FROM, instant=False, label=_("Established from"))
    established_before = DayFilter("established_on", bound=TO, instant=False, label=_("Established until"))
    ordering = SortFilter(
        {
            "name": (_("Name"), (Pinyin("name"),)),
            "formal_members": (_("Formal members"), ("formal_members",)),
            "established": (_("Established on"), ("established_on",)),
            "term_ends": (_("Current term ends on"), ("term_ends_on",)),
        }
    )

    scoped_choices = {"chain": Chain, "park": Park}

    class Meta:
        model = PartyOrganization
        fields = [
            "q",
            "kind",
            "chain",
            "park",
            "covers",
            "descendants_of",
            "top_level",
            "established_after",
            "established_before",
            "ordering",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(secretary__icontains=value)) if value else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def filter_chain(self, queryset, name, value):
        return queryset.filter(coverages__enterprise__memberships__chain=value).distinct() if value else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def filter_park(self, queryset, name, value):
        return queryset.filter(coverages__enterprise__park=value).distinct() if value else queryset

    def filter_covers(self, queryset, name, value):
        return queryset.filter(coverages__enterprise_id=int(value)) if value is not None else queryset

    def filter_descendants_of(self, queryset, name, value):
        if value is None:
            return queryset
        # One recursive query, walking only through what the user may see.
        visible = None if self.user is None else PartyOrganization.objects.visible_to(self.user)
        return queryset.filter(pk__in=tree.descendant_ids(int(value), visible=visible))

    def filter_top_level(self, queryset, name, value):
        # The tree's roots as the user sees it: no superior, or one outside their scope.
        if not value:
            return queryset
        if self.user is None or self.user.is_district_staff:
            return queryset.filter(parent__isnull=True)
        visible = PartyOrganization.objects.visible_to(self.user).values("pk")
        return queryset.filter(Q(parent__isnull=True) | ~Q(parent__in=visible))


class OrgMeetingFilter(ScopedFilterSet):
    organization = django_filters.ModelChoiceFilter(label=_("Organization"), queryset=PartyOrganization.objects.none())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    held_after = DayFilter("held_on", bound=FROM, instant=False, label=_("Held on or after"))
    held_before = DayFilter("held_on", bound=TO, instant=False, label=_("Held on or before"))
    q = SearchFilter(label=_("Topic or organization"), fields=("topic", "organization__name"))
    ordering = SortFilter(
        {
            "held": (_("Held on"), ("held_on",)),
            "organization": (_("Organization"), (Pinyin("organization__name"),)),
        }
    )

    scoped_choices = {"organization": PartyOrganization}

    class Meta:
        model = OrgMeeting
        fields = ["organization", "kind", "held_after", "held_before", "q", "ordering"]


class PairingFilter(ScopedFilterSet):
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.none())
    organization = django_filters.NumberFilter(label=_("Organization (id)"), method="filter_organization")
    programme = django_filters.ChoiceFilter(label=_("Programme"), choices=Programme.choices, method="filter_programme")
    q = SearchFilter(
        label=_("Organization, goals or contact"),
        fields=("department_org__name", "enterprise_org__name", "goals", "department_contact", "enterprise_contact"),
    )
    started_after = DayFilter("start_on", bound=FROM, instant=False, label=_("Started from"))
    started_before = DayFilter("start_on", bound=TO, instant=False, label=_("Started until"))
    ordering = SortFilter(
        {
            "start": (_("Start"), ("start_on",)),
            "chain": (_("Chain"), (Pinyin("chain__name"),)),
            "department": (_("Department's organization"), (Pinyin("department_org__name"),)),
        }
    )

    scoped_choices = {"chain": Chain}

    class Meta:
        model = Pairing
        fields = ["chain", "organization", "programme", "q", "started_after", "started_before", "ordering"]

    def filter_organization(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(department_org_id=int(value)) | Q(enterprise_org_id=int(value)))

    def filter_programme(self, queryset, name, value):
        return queryset.filter(activities__programme=value).distinct() if value else queryset


class PartyPlanFilter(ScopedFilterSet):
    q = SearchFilter(label=_("Title or party organization"), fields=("title", "organization__name"))
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.none())
    year = YearFilter(label=_("Year"), min_value=0, max_value=32767)  # the column's range, as documented
    filed_after = DayFilter("filed_on", bound=FROM, instant=False, label=_("Filed from"))
    filed_before = DayFilter("filed_on", bound=TO, instant=False, label=_("Filed until"))
    ordering = SortFilter(
        {
            "year": (_("Year"), ("year",)),
            "chain": (_("Chain"), (Pinyin("chain__name"),)),
            "filed": (_("Filed on"), ("filed_on",)),
            "score": (_("Business score"), ("business_score",)),
        }
    )

    scoped_choices = {"chain": Chain}

    class Meta:
        model = AnnualPartyPlan
        fields = ["q", "chain", "year", "filed_after", "filed_before", "ordering"]
