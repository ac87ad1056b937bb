"""REST API of the secretaries app: /api/v1/cadres/, /api/v1/postings/ (POST actions `log-work`,
`end`, `evaluate`), /api/v1/work-logs/ and /api/v1/posting-suggestions/?chain=.

Thin: every list starts from a selector (scope in SQL), every object is fetched through the user's
scope (404 outside it, before any 403), every write goes through secretaries.services. The posting's
actions are declared in secretaries.actions and routed by chainparty.actions (403 who, 409 when,
then the input)."""

from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import PARTY_MEMBERS, PHONE, PersonalDataReadAudit
from chainparty.actions import ActionRoutesMixin
from chainparty.api import ERRORS, Pagination, ScopedObjectMixin, conflict, validated_input
from chainparty.filters import UserScopedFilterBackend
from chainparty.permissions import DistrictStaffWrites, IsDistrictStaff
from chainparty.scope import find_by_id
from chains.models import Chain
from chains.serializers import EnterpriseRefSerializer
from secretaries import matching, selectors, services
from secretaries.actions import POSTING_ACTIONS
from secretaries.filters import CadreFilter, PostingFilter, WorkLogFilter
from secretaries.serializers import (
    CadreInputSerializer,
    CadreRefSerializer,
    CadreSerializer,
    PostingDetailSerializer,
    PostingInputSerializer,
    PostingSerializer,
    WorkLogInputSerializer,
    WorkLogSerializer,
)


class _ListReadCreate(ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filter_backends = [UserScopedFilterBackend]
    http_method_names = ["get", "post", "put", "head", "options"]


# --- cadres ------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(responses={200: CadreSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: CadreSerializer, 404: ERRORS[404]}),
    create=extend_schema(
        request=CadreInputSerializer, responses={201: CadreSerializer, 400: ERRORS[400], 403: ERRORS[403]}
    ),
    update=extend_schema(request=CadreInputSerializer, responses={200: CadreSerializer, **ERRORS}),
)
class CadreViewSet(PersonalDataReadAudit, _ListReadCreate):
    """The cadre pool (干部库): district staff keep it; a cadre sees their own record. Phones are
    masked for anyone but district staff and the cadre."""

    serializer_class = CadreSerializer
    filterset_class = CadreFilter
    permission_classes = [permissions.IsAuthenticated, DistrictStaffWrites]
    personal_data = PHONE

    def shows_personal_data(self, request) -> bool:
        return request.user.is_district_staff  # everyone else reads masked numbers (their own aside)

    def get_queryset(self):
        return selectors.list_cadres_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        data = validated_input(CadreInputSerializer, request)
        cadre = services.create_cadre(actor=request.user, **data)
        return self._respond(cadre.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        cadre = self.get_object()  # 404 outside scope, then the staff-only write (403)
        data = validated_input(CadreInputSerializer, request)
        services.update_cadre(actor=request.user, cadre_id=cadre.pk, **data)
        return self._respond(cadre.pk, status.HTTP_200_OK)

    def _respond(self, pk: int, code: int) -> Response:
        fresh = self.get_queryset().get(pk=pk)
        return Response(CadreSerializer(fresh, context=self.get_serializer_context()).data, status=code)


# --- postings ----------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(responses={200: PostingSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: PostingDetailSerializer, 404: ERRORS[404]}),
    create=extend_schema(
        request=PostingInputSerializer, responses={201: PostingDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]}
    ),
)
class PostingViewSet(ActionRoutesMixin, _ListReadCreate):
    """Postings (派驻) of first secretaries, instructors and park chiefs in the user's scope. District
    staff post, end and evaluate; the posted cadre logs work."""

    filterset_class = PostingFilter
    action_set = POSTING_ACTIONS
    action_responses = {
        200: PostingDetailSerializer,
        **ERRORS,
        409: conflict(_("The posting's status does not allow this now.")),
    }

    def get_queryset(self):
        return selectors.list_postings_for_user(self.request.user)

    def get_serializer_class(self):
        return PostingSerializer if self.action == "list" else PostingDetailSerializer

    def create(self, request, *args, **kwargs):
        data = validated_input(PostingInputSerializer, request)
        posting = services.post_cadre(actor=request.user, **data)
        return self._respond(posting.pk, status.HTTP_201_CREATED)

    def action_response(self, posting, result) -> Response:
        return self._respond(posting.pk, status.HTTP_200_OK)

    def _respond(self, pk: int, code: int) -> Response:
        fresh = selectors.get_posting_for_user(self.request.user, pk)
        return Response(PostingDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)


# --- work logs ---------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(responses={200: WorkLogSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: WorkLogSerializer, 404: ERRORS[404]}),
    create=extend_schema(
        request=WorkLogInputSerializer, responses={201: WorkLogSerializer, 400: ERRORS[400], 403: ERRORS[403]}
    ),
)
class WorkLogViewSet(_ListReadCreate):
    """Work logs (工作纪实) of the postings in the user's scope. The posted cadre (or staff for them)
    logs work on an active posting; one that has ended is refused on the `posting` field."""

    serializer_class = WorkLogSerializer
    filterset_class = WorkLogFilter

    def get_queryset(self):
        return selectors.list_work_logs_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        data = dict(validated_input(WorkLogInputSerializer, request))
        posting = find_by_id(selectors.list_postings_for_user(request.user), data.pop("posting"))
        if posting is None:
            raise ValidationError({"posting": _("No such posting in your scope.")})
        log = services.log_work(actor=request.user, posting_id=posting.pk, **data)
        fresh = self.get_queryset().get(pk=log.pk)
        return Response(
            WorkLogSerializer(fresh, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


# --- matching ----------------------------------------------------------------------------------
# Django's own words for a choice outside those offered (a chain outside scope, as one that does not exist).
INVALID_CHOICE = ModelChoiceField.default_error_messages["invalid_choice"]


class CadreSuggestionSerializer(serializers.Serializer):
    cadre = CadreRefSerializer()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class PostingSuggestionSerializer(serializers.Serializer):
    enterprise = EnterpriseRefSerializer()
    segment = serializers.CharField(allow_null=True)
    party_members = serializers.IntegerField()
    employees = serializers.IntegerField()
    open_issues = serializers.IntegerField()
    honours = serializers.IntegerField()
    cadres = CadreSuggestionSerializer(many=True)


class PostingSuggestionView(PersonalDataReadAudit, APIView):
    """For a chain, its SMEs without coverage, ranked (party members, employees, open issues,
    honours), each with up to three cadres suggested by source unit's remit and expertise. A
    suggestion for a person to confirm by posting (POST /api/v1/postings/); nothing is written."""

    permission_classes = [permissions.IsAuthenticated, IsDistrictStaff]
    personal_data = PARTY_MEMBERS  # each SME's party members

    @extend_schema(
        parameters=[OpenApiParameter("chain", OpenApiTypes.INT, required=True, description="the chain's id")],
        responses={200: PostingSuggestionSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        raw = request.query_params.get("chain")
        if raw in (None, ""):
            raise ValidationError({"chain": _("This field is required.")})
        chain = find_by_id(Chain.objects.visible_to(request.user), raw)
        if chain is None:
            raise ValidationError({"chain": INVALID_CHOICE})
        paginator = Pagination()
        page = paginator.paginate_queryset(matching.uncovered_smes(chain), request, view=self)
        rows = matching.suggestion_rows(chain, list(page or []))
        return paginator.get_paginated_response(PostingSuggestionSerializer(rows, many=True).data)
