"""REST API of the chains app (/api/v1/chains/, enterprises/, parks/, chain-masters/).

Thin: every list starts from a selector (scope in SQL), every object is fetched with
get_visible_or_404 (outside scope it does not exist), every write goes through chains.services.
Writes are for district staff; a 404 for an object outside scope still comes before their 403.
"""

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from chainparty.actions import ActionRoutesMixin, ActionSet, ActionSpec
from chainparty.api import ERRORS, ScopedObjectMixin, conflict, validated_input
from chainparty.filters import UserScopedFilterBackend
from chainparty.permissions import DistrictStaffWrites
from chains import services
from chains.filters import ChainFilter, ChainMasterFilter, EnterpriseFilter, ParkFilter
from chains.models import ChainSegment, SegmentPosition
from chains.selectors import (
    enterprise_page_parts,
    list_chain_masters_for_user,
    list_chains_for_user,
    list_enterprises_for_user,
    list_parks_with_counts_for_user,
)
from chains.serializers import (
    ENTERPRISE_LIST_COLUMNS,
    ChainMasterInputSerializer,
    ChainMasterSerializer,
    ChainSerializer,
    EnterpriseInputSerializer,
    EnterpriseSerializer,
    ParkSerializer,
    enterprise_list_rows,
)


# --- chains ------------------------------------------------------------------------------------
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


class StaffWritesViewSet(ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lists and reads what is in the user's scope, filtered by a ScopedFilterSet; district staff
    write (through chains.services), and an object outside scope is a 404 before their 403."""

    permission_classes = [permissions.IsAuthenticated, DistrictStaffWrites]
    filter_backends = [UserScopedFilterBackend]


# --- enterprises -------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(responses={200: EnterpriseSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: EnterpriseSerializer, 404: ERRORS[404]}),
    create=extend_schema(
        request=EnterpriseInputSerializer, responses={201: EnterpriseSerializer, 400: ERRORS[400], 403: ERRORS[403]}
    ),
    update=extend_schema(request=EnterpriseInputSerializer, responses={200: EnterpriseSerializer, **ERRORS}),
    partial_update=extend_schema(request=EnterpriseInputSerializer, responses={200: EnterpriseSerializer, **ERRORS}),
)
class EnterpriseViewSet(StaffWritesViewSet):
    """Enterprises and institutions in the user's scope. District staff create and edit them."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter

    def get_queryset(self):
        return list_enterprises_for_user(self.request.user)

    def list(self, request, *args, **kwargs):
        # The page as values shaped by enterprise_list_rows: EnterpriseSerializer's output without
        # model instances or nested serializers, which cost more than the SQL for 50 rows (issue 13).
        enterprises = self.filter_queryset(self.get_queryset())
        page = self.paginator.paginate_queryset(enterprises, request, view=self, columns=ENTERPRISE_LIST_COLUMNS)
        parts = enterprise_page_parts(request.user, [row["id"] for row in page])
        return self.get_paginated_response(enterprise_list_rows(page, *parts))

    def create(self, request, *args, **kwargs):
        data = validated_input(EnterpriseInputSerializer, request)
        enterprise = services.create_enterprise(actor=request.user, data=data)
        return self._respond(enterprise, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        data = validated_input(EnterpriseInputSerializer, request, partial=kwargs.get("partial", False))
        enterprise = services.update_enterprise(actor=request.user, enterprise=enterprise, data=data)
        return self._respond(enterprise, status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _respond(self, enterprise, code: int) -> Response:
        # Read it back through the selector so the answer has the same shape (and scope) as a GET.
        fresh = self.get_queryset().get(pk=enterprise.pk)
        return Response(EnterpriseSerializer(fresh, context=self.get_serializer_context()).data, status=code)


# --- parks -------------------------------------------------------------------------------------
class ParkViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """Parks in the user's scope, with chiefs, facilities and the visible enterprises' count."""

    serializer_class = ParkSerializer
    filter_backends = [UserScopedFilterBackend]
    filterset_class = ParkFilter

    def get_queryset(self):
        return list_parks_with_counts_for_user(self.request.user)


# --- chain masters -----------------------------------------------------------------------------
# Designating and revoking are the chain master's two transitions; the services check the status
# (409) under the row lock. No body: the object is all they need.
CHAIN_MASTER_ACTIONS = ActionSet(
    ActionSpec(
        "designate",
        services.designate_chain_master,
        description="Designate this candidate; the chain's previously designated master is revoked.",
    ),
    ActionSpec(
        "revoke",
        services.revoke_chain_master,
        description="Revoke this chain master or withdraw this candidate.",
    ),
    target=lambda master: {"chain_master": master},
)


@extend_schema_view(
    create=extend_schema(
        request=ChainMasterInputSerializer,
        responses={201: ChainMasterSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    ),
)
class ChainMasterViewSet(ActionRoutesMixin, StaffWritesViewSet):
    """Chain masters (链主) and candidates in scope. District staff propose, designate and revoke them."""

    serializer_class = ChainMasterSerializer
    filterset_class = ChainMasterFilter
    action_set = CHAIN_MASTER_ACTIONS
    action_responses = {
        200: ChainMasterSerializer,
        403: ERRORS[403],
        404: ERRORS[404],
        409: conflict(_("The chain master's status does not allow this.")),
    }

    def get_queryset(self):
        return list_chain_masters_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        data = dict(validated_input(ChainMasterInputSerializer, request))
        chain, enterprise, note = data.pop("chain"), data.pop("enterprise"), data.pop("note", "")
        master = services.create_chain_master(
            actor=request.user, chain=chain, enterprise=enterprise, scores=data, note=note
        )
        return self._respond(master, status.HTTP_201_CREATED)

    def action_response(self, master, result) -> Response:
        return self._respond(result, status.HTTP_200_OK)

    def _respond(self, master, code: int) -> Response:
        fresh = self.get_queryset().get(pk=master.pk)
        return Response(ChainMasterSerializer(fresh, context=self.get_serializer_context()).data, status=code)
