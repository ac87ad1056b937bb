"""REST API of the chains app (/api/v1/chains/, enterprises/, parks/, chain-masters/).

Thin: every list starts from a selector (scope in SQL), every object is fetched with
get_visible_or_404 (outside scope it does not exist), every write goes through chains.services.
Writes are for district staff; a 404 for an object outside scope still comes before their 403.
"""

import django_filters
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chainparty.api import ErrorSerializer, InvalidTransitionSerializer, ScopedObjectMixin, UserScopedFilterBackend
from chainparty.permissions import DistrictStaffWrites
from chains import services
from chains.filters import EnterpriseFilter
from chains.models import Chain, ChainMaster, ChainMasterStatus, ChainSegment, SegmentPosition
from chains.selectors import (
    list_chain_masters_for_user,
    list_chains_for_user,
    list_enterprises_for_user,
    list_parks_with_counts_for_user,
)
from chains.serializers import (
    ChainMasterInputSerializer,
    ChainMasterSerializer,
    ChainSerializer,
    EnterpriseInputSerializer,
    EnterpriseSerializer,
    ParkSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("Invalid input; `errors` names each field and why.")),
    403: OpenApiResponse(ErrorSerializer, description=_("Not signed in, or not allowed to do this.")),
    404: OpenApiResponse(ErrorSerializer, description=_("No such object, or not in your scope.")),
}


# --- chains ------------------------------------------------------------------------------------
PATH_CHOICES = [
    ("industry_committee", _("industry committee path")),
    ("department", _("department path")),
    ("park", _("park path")),
]


class ChainFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name contains"), field_name="name", lookup_expr="icontains")
    path = django_filters.ChoiceFilter(label=_("Coverage path"), choices=PATH_CHOICES, method="filter_path")

    class Meta:
        model = Chain
        fields = ["q", "path"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_path(self, queryset, name, value):
        return queryset.filter(**{f"path_{value}": True}) if value else queryset


def _segments_in_map_order():
    # Upstream → midstream → downstream, as the chain map reads (not the alphabetical order of codes).
    rank = Case(
        *(When(position=position, then=Value(index)) for index, position in enumerate(SegmentPosition.values)),
        output_field=IntegerField(),
    )
    return ChainSegment.objects.order_by(rank, "order", "name")


class ChainViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """Key industrial chains in the user's scope, with their units, leaders, map and chain master."""

    serializer_class = ChainSerializer
    filter_backends = [UserScopedFilterBackend]
    filterset_class = ChainFilter

    def get_queryset(self):
        return list_chains_for_user(self.request.user).prefetch_related(
            "cooperating_units", Prefetch("segments", queryset=_segments_in_map_order())
        )


# --- enterprises -------------------------------------------------------------------------------
class EnterpriseApiFilter(EnterpriseFilter):
    """The pages' EnterpriseFilter, unchanged, with the type of `chain` stated for the OpenAPI schema
    (its filter method hides the type from drf-spectacular)."""

    @extend_schema_field(OpenApiTypes.INT)
    def filter_chain(self, queryset, name, value):
        return super().filter_chain(queryset, name, value)


@extend_schema_view(
    list=extend_schema(responses={200: EnterpriseSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: EnterpriseSerializer, 404: ERRORS[404]}),
    create=extend_schema(
        request=EnterpriseInputSerializer, responses={201: EnterpriseSerializer, 400: ERRORS[400], 403: ERRORS[403]}
    ),
    update=extend_schema(request=EnterpriseInputSerializer, responses={200: EnterpriseSerializer, **ERRORS}),
    partial_update=extend_schema(request=EnterpriseInputSerializer, responses={200: EnterpriseSerializer, **ERRORS}),
)
class EnterpriseViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Enterprises and institutions in the user's scope. District staff create and edit them."""

    serializer_class = EnterpriseSerializer
    permission_classes = [permissions.IsAuthenticated, DistrictStaffWrites]
    filter_backends = [UserScopedFilterBackend]
    filterset_class = EnterpriseApiFilter

    def get_queryset(self):
        return list_enterprises_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        data = self._validated_input(request, partial=False)
        enterprise = services.create_enterprise(actor=request.user, data=data)
        return self._respond(enterprise, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        data = self._validated_input(request, partial=kwargs.get("partial", False))
        enterprise = services.update_enterprise(actor=request.user, enterprise=enterprise, data=data)
        return self._respond(enterprise, status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @staticmethod
    def _validated_input(request, *, partial: bool) -> dict:
        serializer = EnterpriseInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _respond(self, enterprise, code: int) -> Response:
        # Read it back through the selector so the answer has the same shape (and scope) as a GET.
        fresh = self.get_queryset().get(pk=enterprise.pk)
        return Response(EnterpriseSerializer(fresh, context=self.get_serializer_context()).data, status=code)


# --- parks -------------------------------------------------------------------------------------
class ParkViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """Parks in the user's scope, with chiefs, facilities and the visible enterprises' count."""

    serializer_class = ParkSerializer

    def get_queryset(self):
        return list_parks_with_counts_for_user(self.request.user)


# --- chain masters -----------------------------------------------------------------------------
class ChainMasterFilter(django_filters.FilterSet):
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.none())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ChainMasterStatus.choices)

    class Meta:
        model = ChainMaster
        fields = ["chain", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A chain outside scope is "not a valid choice", exactly like one that does not exist.
        self.filters["chain"].queryset = Chain.objects.visible_to(user) if user is not None else Chain.objects.none()


TRANSITION_RESPONSES = {
    200: ChainMasterSerializer,
    403: ERRORS[403],
    404: ERRORS[404],
    409: OpenApiResponse(InvalidTransitionSerializer, description=_("The chain master's status does not allow this.")),
}


@extend_schema_view(
    create=extend_schema(
        request=ChainMasterInputSerializer,
        responses={201: ChainMasterSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    ),
)
class ChainMasterViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Chain masters (链主) and candidates in scope. District staff propose, designate and revoke them."""

    serializer_class = ChainMasterSerializer
    permission_classes = [permissions.IsAuthenticated, DistrictStaffWrites]
    filter_backends = [UserScopedFilterBackend]
    filterset_class = ChainMasterFilter

    def get_queryset(self):
        return list_chain_masters_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = ChainMasterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        chain, enterprise, note = data.pop("chain"), data.pop("enterprise"), data.pop("note", "")
        master = services.create_chain_master(
            actor=request.user, chain=chain, enterprise=enterprise, scores=data, note=note
        )
        return self._respond(master, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def designate(self, request, pk=None):
        """Designate this candidate; the chain's previously designated master is revoked."""
        master = self.get_object()
        master = services.designate_chain_master(actor=request.user, chain_master=master)
        return self._respond(master, status.HTTP_200_OK)

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke this chain master or withdraw this candidate."""
        master = self.get_object()
        master = services.revoke_chain_master(actor=request.user, chain_master=master)
        return self._respond(master, status.HTTP_200_OK)

    def _respond(self, master, code: int) -> Response:
        fresh = self.get_queryset().get(pk=master.pk)
        return Response(ChainMasterSerializer(fresh, context=self.get_serializer_context()).data, status=code)
