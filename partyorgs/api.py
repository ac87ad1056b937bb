"""REST API of the party-organization app: /api/v1/party-organizations/ and /api/v1/coverage/.

Thin: lists start from the selectors (scope in SQL), objects come through get_visible_or_404 (outside
scope they do not exist), writes go through partyorgs.services (district staff; a 404 for an object
outside scope still comes before their 403)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.audit import PARTY_MEMBERS, PersonalDataReadAudit
from chainparty.api import ERRORS, ScopedObjectMixin, validated_input
from chainparty.filters import UserScopedFilterBackend
from chainparty.permissions import DistrictStaffWrites, require_district_staff
from chainparty.scope import get_visible_or_404
from chains.models import Chain
from partyorgs import services, tree
from partyorgs.filters import OrganizationFilter, OrgMeetingFilter, PairingFilter, PartyPlanFilter
from partyorgs.models import PartyOrganization
from partyorgs.selectors import (
    coverage_for_user,
    list_meetings_for_user,
    list_organizations_for_user,
    list_pairings_for_user,
    list_party_plans_for_user,
)
from partyorgs.serializers import (
    CoverageSerializer,
    OrganizationInputSerializer,
    OrganizationSerializer,
    OrgMeetingInputSerializer,
    OrgMeetingSerializer,
    PairingActivityInputSerializer,
    PairingActivitySerializer,
    PairingInputSerializer,
    PairingSerializer,
    PartyPlanInputSerializer,
    PartyPlanSerializer,
    PlanScoreInputSerializer,
    RollupSerializer,
)


class OrganizationWithRollupSerializer(OrganizationSerializer):
    """An organization with its subtree's counts, computed for the whole page in one query (``rollups``
    in the context)."""

    rollup = serializers.SerializerMethodField()

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "rollup"]

    @extend_schema_field(RollupSerializer(allow_null=True))
    def get_rollup(self, obj) -> dict | None:
        rollup = self.context.get("rollups", {}).get(obj.pk)
        return RollupSerializer(rollup).data if rollup else None


@extend_schema_view(
    list=extend_schema(responses={200: OrganizationWithRollupSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: OrganizationWithRollupSerializer, 404: ERRORS[404]}),
    create=extend_schema(
        request=OrganizationInputSerializer,
        responses={201: OrganizationWithRollupSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    ),
    update=extend_schema(
        request=OrganizationInputSerializer, responses={200: OrganizationWithRollupSerializer, **ERRORS}
    ),
    partial_update=extend_schema(
        request=OrganizationInputSerializer, responses={200: OrganizationWithRollupSerializer, **ERRORS}
    ),
)
class PartyOrganizationViewSet(
    PersonalDataReadAudit, ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Party organizations in the user's scope, each with its subtree's rolled-up counts
    (organizations, formal and probationary members). `?covers=<enterprise id>`, `?kind=`,
    `?descendants_of=<organization id>` (the whole subtree, one recursive query), `?top_level=true`,
    `?q=`, `?chain=`, `?park=`. District staff create and change them."""

    serializer_class = OrganizationWithRollupSerializer
    permission_classes = [permissions.IsAuthenticated, DistrictStaffWrites]
    personal_data = PARTY_MEMBERS  # member counts, of each organization and its subtree
    filter_backends = [UserScopedFilterBackend]
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return list_organizations_for_user(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _visible(self):
        user = self.request.user
        return None if user.is_district_staff else PartyOrganization.objects.visible_to(user)

    def _serialize(self, orgs, **kwargs):
        context = {
            **self.get_serializer_context(),
            "rollups": tree.rollups([o.pk for o in orgs], visible=self._visible()),
        }
        return OrganizationWithRollupSerializer(orgs, context=context, **kwargs).data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self._serialize(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize([self.get_object()], many=True)[0])

    @extend_schema(
        responses={200: OrganizationWithRollupSerializer(many=True), 404: ERRORS[404]},
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
    )
    @action(detail=True, methods=["get"])
    def descendants(self, request, pk=None):
        """Every organization below this one that the user may see (one recursive query), by name."""
        org = self.get_object()
        below = self.get_queryset().filter(pk__in=tree.descendant_ids(org.pk, visible=self._visible()))
        page = self.paginate_queryset(below)
        return self.get_paginated_response(self._serialize(page, many=True))

    def create(self, request, *args, **kwargs):
        data = validated_input(OrganizationInputSerializer, request)
        org = services.create_organization(actor=request.user, data=data)
        return self._respond(org, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        org = self.get_object()
        data = validated_input(OrganizationInputSerializer, request, partial=kwargs.get("partial", False))
        org = services.update_organization(actor=request.user, organization=org, data=data)
        return self._respond(org, status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _respond(self, org, code: int) -> Response:
        fresh = self.get_queryset().get(pk=org.pk)
        return Response(self._serialize([fresh], many=True)[0], status=code)


@extend_schema_view(list=extend_schema(responses={200: CoverageSerializer}))
class CoverageViewSet(viewsets.ViewSet):
    """两个覆盖: coverage of the enterprises in the user's scope, district-wide and per chain, park and
    segment: organization coverage (the official rate: enterprises with their own or a joint
    organization ÷ enterprises in the registry), work coverage, none. Computed on each request."""

    permission_classes = [permissions.IsAuthenticated]
    answers_one_object = True  # the list route gives one summary (chainparty.schema)

    def list(self, request):
        return Response(CoverageSerializer(coverage_for_user(request.user)).data)


@extend_schema_view(
    list=extend_schema(responses={200: OrgMeetingSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: OrgMeetingSerializer, 404: ERRORS[404]}),
    create=extend_schema(
        request=OrgMeetingInputSerializer,
        responses={201: OrgMeetingSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    ),
)
class OrgMeetingViewSet(ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """三会一课: meetings recorded by the organizations in the user's scope (`?organization=`, `?kind=`,
    `?held_after=`, `?held_before=`). The organization's own people and district staff record them;
    an organization outside the caller's scope is a 404."""

    serializer_class = OrgMeetingSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [UserScopedFilterBackend]
    filterset_class = OrgMeetingFilter

    def get_queryset(self):
        return list_meetings_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        data = dict(validated_input(OrgMeetingInputSerializer, request))
        org = get_visible_or_404(PartyOrganization.objects.visible_to(request.user), pk=data.pop("organization"))
        meeting = services.record_org_meeting(actor=request.user, organization=org, **data)
        fresh = self.get_queryset().get(pk=meeting.pk)
        return Response(OrgMeetingSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(responses={200: PairingSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: PairingSerializer, 404: ERRORS[404]}),
    create=extend_schema(
        request=PairingInputSerializer, responses={201: PairingSerializer, 400: ERRORS[400], 403: ERRORS[403]}
    ),
)
class PairingViewSet(ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """红联共建: pairings in the user's scope (either side's organization), with their activities under
    the three programmes. `?chain=`, `?organization=`, `?programme=`. District staff create pairings;
    either side's people and district staff log activities (`POST {id}/activities/`)."""

    serializer_class = PairingSerializer
    permission_classes = [permissions.IsAuthenticated, DistrictStaffWrites]
    filter_backends = [UserScopedFilterBackend]
    filterset_class = PairingFilter

    def get_queryset(self):
        return list_pairings_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        data = validated_input(PairingInputSerializer, request)
        pairing = services.create_pairing(actor=request.user, **data)
        return Response(PairingSerializer(self.get_queryset().get(pk=pairing.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PairingActivityInputSerializer,
        responses={201: PairingActivitySerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def activities(self, request, pk=None):
        """Log an activity of this pairing under one of the three programmes."""
        pairing = self.get_object()
        # Who may log, before the body is read (as the workflow actions do): a 403, not field errors.
        if not services.may_log_pairing_activity(request.user, pairing):
            raise PermissionDenied(
                gettext("Only the paired organizations' people and district staff log its activities.")
            )
        data = validated_input(PairingActivityInputSerializer, request)
        activity = services.log_pairing_activity(actor=request.user, pairing=pairing, **data)
        return Response(PairingActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(responses={200: PartyPlanSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: PartyPlanSerializer, 404: ERRORS[404]}),
    create=extend_schema(
        request=PartyPlanInputSerializer,
        responses={201: PartyPlanSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    ),
)
class PartyPlanViewSet(ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Chain masters' annual party-building plans in the user's scope (`?chain=`, `?year=`), with their
    weighted targets, the year-end party-building score (`party_score`) beside the chain's business
    score (一体考核). The chain master's organization's people and district staff file a plan; district
    staff score it at year end (`POST {id}/score/`)."""

    serializer_class = PartyPlanSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [UserScopedFilterBackend]
    filterset_class = PartyPlanFilter

    def get_queryset(self):
        return list_party_plans_for_user(self.request.user)

    def _respond(self, plan, code):
        return Response(PartyPlanSerializer(self.get_queryset().get(pk=plan.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = dict(validated_input(PartyPlanInputSerializer, request))
        chain = get_visible_or_404(Chain.objects.visible_to(request.user), pk=data.pop("chain").pk)
        targets = [dict(t) for t in data.pop("targets")]
        plan = services.file_party_plan(actor=request.user, chain=chain, targets=targets, **data)
        return self._respond(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanScoreInputSerializer, responses={200: PartyPlanSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Score every target of the plan and the chain's business score (district staff, from 1 December)."""
        plan = self.get_object()
        require_district_staff(request.user)  # a 403 before the body is read, not its field errors
        data = validated_input(PlanScoreInputSerializer, request)
        try:
            scores = {int(key): value for key, value in data["scores"].items()}
        except ValueError:
            raise serializers.ValidationError({"scores": [gettext("Target ids are whole numbers.")]}) from None
        plan = services.score_party_plan(
            actor=request.user, plan=plan, scores=scores, business_score=data.get("business_score")
        )
        return self._respond(plan, status.HTTP_200_OK)
