"""REST API of accounts: the directory of government units (/api/v1/units/)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers, viewsets

from accounts.models import Unit, UnitKind
from chainparty.filters import Pinyin, ScopedFilterSet, SearchFilter, SortFilter, UserScopedFilterBackend


class HasAnyRole(permissions.BasePermission):
    """Signed in with a role: any business role, or a security / audit administrator, who manage the
    accounts of these units (三员分立 keeps them out of business data, not out of the directory)."""

    message = _("Your account has no role in this system.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user.is_authenticated and request.user.roles)


class IndustryCommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]


class UnitSerializer(serializers.ModelSerializer):
    industry_committee = IndustryCommitteeSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "industry_committee"]


class UnitFilter(ScopedFilterSet):
    q = SearchFilter(label=_("Name or short name"), fields=("name", "short_name"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    ordering = SortFilter({"name": (_("Name"), (Pinyin("name"),)), "kind": (_("Kind"), ("kind",))})

    class Meta:
        model = Unit
        fields = ["q", "kind", "ordering"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Active government units. The directory is not scoped: every user with a role may read it."""

    serializer_class = UnitSerializer
    permission_classes = [permissions.IsAuthenticated, HasAnyRole]
    filter_backends = [UserScopedFilterBackend]
    filterset_class = UnitFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return Unit.objects.filter(is_active=True).select_related("industry_committee").order_by("kind", "name")
