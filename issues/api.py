"""REST API of issue tickets: /api/v1/issues/ with one POST action per workflow step,
/issue-categories/, /complaint-sessions/, /routing-rules/ and /units/{id}/kpis/.

Thin: every list starts from a selector (scope in SQL) and every issue is fetched with
get_issue_for_user (outside scope it does not exist: 404 on every route). The workflow actions are
declared in issues.actions and routed by chainparty.actions: an action asks the declared workflow
table — 403 when the user may never take it on this issue, 409 with the actions allowed now when
the state does not allow it — before its input is parsed, so the answer does not depend on the
body sent; the service checks again under the row lock and decides everything else.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from chainparty import api
from chainparty.actions import ActionRoutesMixin
from chainparty.api import ScopedObjectMixin, parsed_input, validated_input
from chainparty.dates import parse_period
from chainparty.filters import UserScopedFilterBackend
from chainparty.parsers import JSONParser
from chainparty.permissions import IsDistrictStaff
from chainparty.scope import get_visible_or_404
from issues import kpis, routing, selectors, services
from issues.actions import ISSUE_ACTIONS
from issues.filters import ComplaintSessionFilter, IssueCategoryFilter, IssueFilter, RoutingRuleFilter
from issues.models import Issue, IssueCategory, Rating, RoutingRule, Status
from issues.serializers import (
    ISSUE_LIST_COLUMNS,
    ComplaintSessionInputSerializer,
    ComplaintSessionSerializer,
    IssueCategorySerializer,
    IssueCreateInputSerializer,
    IssueDetailSerializer,
    IssueEventSerializer,
    IssueListSerializer,
    RoutingRuleInputSerializer,
    RoutingRuleSerializer,
    SessionIssuesInputSerializer,
    UnitKpiSerializer,
    issue_list_rows,
)

IDEMPOTENCY_KEY_MAX = 100


ERRORS = {**api.ERRORS, 409: api.conflict(_("The issue's state does not allow this now."))}
ACTION_RESPONSES = {
    200: IssueDetailSerializer,
    204: OpenApiResponse(description=_("Done; the issue is no longer in your scope (your unit returned it).")),
    **ERRORS,
}


# --- issues ------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(responses={200: IssueListSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: IssueDetailSerializer, 404: ERRORS[404]}),
)
class IssueViewSet(ActionRoutesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Issue tickets (问题诉求) in the user's scope; each workflow step is a POST action."""

    lookup_value_regex = r"[0-9]+"
    filter_backends = [UserScopedFilterBackend]
    filterset_class = IssueFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # One POST route per workflow action, in the order of the table (issues.actions).
    action_set = ISSUE_ACTIONS
    action_responses = ACTION_RESPONSES

    def get_queryset(self):
        return selectors.list_issues_for_user(self.request.user)

    def get_serializer_class(self):
        return IssueListSerializer if self.action == "list" else IssueDetailSerializer

    # reads
    def list(self, request, *args, **kwargs):
        # The page as values shaped by issue_list_rows: IssueListSerializer's output without model
        # instances or nested serializers, which cost more than the SQL for 50 rows (issue 13).
        issues = self.filter_queryset(selectors.visible_issues_for_user(request.user))
        page = self.paginator.paginate_queryset(issues, request, view=self, columns=ISSUE_LIST_COLUMNS)
        return self.get_paginated_response(issue_list_rows(page))

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.kwargs["pk"])

    @extend_schema(
        request=IssueCreateInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_(
                    "A retry with the same key and the same request within 24 hours answers as the first "
                    "did (201, the same issue, header Idempotent-Replayed: true), also while the first is "
                    "still in flight; the same key with a different request is a 422."
                ),
            )
        ],
        responses={201: IssueDetailSerializer, 400: ERRORS[400], 403: ERRORS[403], 422: api.KEY_REUSED},
    )
    def create(self, request, *args, **kwargs):
        """Submit an issue: JSON, or multipart/form-data with the files under `attachments`."""
        user = request.user
        if not user.has_role(*services.SUBMITTER_ROLES):
            raise PermissionDenied(_("You may not submit issues."))
        key = (request.headers.get("Idempotency-Key") or "").strip() or None
        if key is not None and len(key) > IDEMPOTENCY_KEY_MAX:
            raise serializers.ValidationError(
                {"idempotency_key": [_("At most %(max)d characters.") % {"max": IDEMPOTENCY_KEY_MAX}]}
            )
        # Every problem in one answer: what does not parse, and what the service finds in the rest.
        # Nothing is kept from a refused request (no staging): the client still holds its files.
        data, refused = parsed_input(IssueCreateInputSerializer, request)
        uploads = [services.Upload(upload.name, upload, upload.size) for upload in data.get("attachments", [])]
        submission = services.submit_issue_once(
            actor=user,
            enterprise_id=data.get("enterprise_id"),
            category_code=data.get("category_code"),
            title=data.get("title", ""),
            description=data.get("description", ""),
            chain_id=data.get("chain_id"),
            uploads=uploads,
            input_errors=refused,
            idempotency_key=key,
        )
        response = self._detail(submission.issue.pk, status.HTTP_201_CREATED)
        if submission.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(responses={200: IssueEventSerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request, pk=None):
        """The timeline; internal entries only for the government side."""
        issue = self.get_object()
        page = self.paginate_queryset(selectors.list_events_for_user(request.user, issue))
        return self.get_paginated_response(IssueEventSerializer(page, many=True).data)

    # plumbing
    def get_object(self) -> Issue:
        # With what allowed_actions and the detail need loaded (the list's queryset has less).
        issue = selectors.get_issue_for_user(self.request.user, self.kwargs["pk"])  # 404 outside scope
        self.check_object_permissions(self.request, issue)
        return issue

    def action_response(self, issue: Issue, result) -> Response:
        if not Issue.objects.visible_to(self.request.user).filter(pk=issue.pk).exists():
            # Done, and out of the caller's sight now (a unit that returned its share): say so
            # without showing the issue again.
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._detail(issue.pk)

    def _detail(self, pk, code: int = status.HTTP_200_OK) -> Response:
        user = self.request.user
        issue = selectors.get_issue_for_user(user, pk)
        # The selector loads what allowed_actions needs; the ratings are for the detail only.
        prefetch_related_objects([issue], Prefetch("ratings", queryset=Rating.objects.order_by("created_at", "pk")))
        suggested = None
        if user.is_district_staff and issue.status in (Status.SUBMITTED, Status.ACCEPTED):
            suggested = services.suggest_lead_unit(category=issue.category, chain=issue.chain)
        context = {
            **self.get_serializer_context(),
            "sees_internal": selectors.sees_internal(user),
            "suggested_lead_unit": suggested,
        }
        return Response(IssueDetailSerializer(issue, context=context).data, status=code)


# --- categories, sessions, routing rules -------------------------------------------------------
class IssueCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The active issue categories with their working-day limits; `category` of an issue is the code."""

    serializer_class = IssueCategorySerializer
    filter_backends = [UserScopedFilterBackend]
    filterset_class = IssueCategoryFilter
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        # Reference data of the business: nothing for a user without a business role (三员分立).
        user = self.request.user
        if not (user.is_authenticated and user.has_business_role):
            return IssueCategory.objects.none()
        return IssueCategory.objects.filter(is_active=True).order_by("kind", "name")


@extend_schema_view(
    list=extend_schema(responses={200: ComplaintSessionSerializer(many=True)}),
    retrieve=extend_schema(responses={200: ComplaintSessionSerializer, 404: ERRORS[404]}),
)
class ComplaintSessionViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """吐槽大会 sessions, for district staff and the units involved; staff create them and enter the
    issues collected, many rows at once."""

    serializer_class = ComplaintSessionSerializer
    filter_backends = [UserScopedFilterBackend]
    filterset_class = ComplaintSessionFilter

    def get_permissions(self):
        # Reading is scoped; running a session is district staff's (the service checks again).
        if self.action == "create":
            return [permissions.IsAuthenticated(), IsDistrictStaff()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.list_complaint_sessions_for_user(self.request.user)

    @extend_schema(
        request=ComplaintSessionInputSerializer,
        responses={201: ComplaintSessionSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request, *args, **kwargs):
        data = validated_input(ComplaintSessionInputSerializer, request)
        chain, committee = data.get("chain"), data.get("industry_committee")
        session = services.create_complaint_session(
            actor=request.user,
            title=data["title"],
            held_on=data.get("held_on"),
            place=data["place"],
            host_unit_id=data.get("host_unit"),
            chain_id=chain.pk if chain else None,
            industry_committee_id=committee.pk if committee else None,
        )
        fresh = self.get_queryset().get(pk=session.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SessionIssuesInputSerializer,
        responses={201: IssueListSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="issues", url_name="issues")
    def submit_issues(self, request, pk=None):
        """Enter the session's issues, row by row: every row valid or nothing saved; errors are keyed
        `rows[i].field`."""
        session = self.get_object()
        if not request.user.has_role(*services.SUBMITTER_ROLES):
            raise PermissionDenied(_("You may not submit issues."))
        rows = validated_input(SessionIssuesInputSerializer, request)["rows"]
        issues = services.submit_session_issues(actor=request.user, session=session, rows=rows)
        fresh = selectors.list_issues_for_user(request.user).filter(pk__in=[issue.pk for issue in issues])
        return Response(IssueListSerializer(fresh, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(responses={200: RoutingRuleSerializer(many=True), 403: ERRORS[403]}),
    retrieve=extend_schema(responses={200: RoutingRuleSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
    create=extend_schema(responses={201: RoutingRuleSerializer, 400: ERRORS[400], 403: ERRORS[403]}),
    update=extend_schema(responses={200: RoutingRuleSerializer, **ERRORS}),
    partial_update=extend_schema(responses={200: RoutingRuleSerializer, **ERRORS}),
    destroy=extend_schema(responses={204: None, 403: ERRORS[403], 404: ERRORS[404]}),
)
class RoutingRuleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Routing rules (category × chain → suggested lead unit), kept by district staff. The input is
    parsed here and written by issues.routing, which names the field of a clash (also of a race)."""

    serializer_class = RoutingRuleSerializer
    permission_classes = [permissions.IsAuthenticated, IsDistrictStaff]
    filter_backends = [UserScopedFilterBackend]
    filterset_class = RoutingRuleFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return RoutingRule.objects.select_related("category", "chain", "unit").order_by("category__code", "chain_id")

    @extend_schema(request=RoutingRuleInputSerializer)
    def create(self, request, *args, **kwargs):
        data = validated_input(RoutingRuleInputSerializer, request)
        rule = routing.create_routing_rule(
            actor=request.user,
            category_id=data["category"].pk,
            chain_id=data["chain"].pk if data.get("chain") else None,
            unit_id=data["unit"].pk,
        )
        return self._rendered(rule, status.HTTP_201_CREATED)

    @extend_schema(request=RoutingRuleInputSerializer)
    def update(self, request, *args, **kwargs):
        rule = self.get_object()
        data = validated_input(RoutingRuleInputSerializer, request, partial=kwargs.get("partial", False))
        # A PATCH changes what it names; the rest stays as it is.
        category = data["category"].pk if "category" in data else rule.category_id
        if "chain" in data or not kwargs.get("partial"):
            chain = data["chain"].pk if data.get("chain") else None
        else:
            chain = rule.chain_id
        unit = data["unit"].pk if "unit" in data else rule.unit_id
        rule = routing.update_routing_rule(
            actor=request.user, rule=rule, category_id=category, chain_id=chain, unit_id=unit
        )
        return self._rendered(rule, status.HTTP_200_OK)

    @extend_schema(request=RoutingRuleInputSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        routing.delete_routing_rule(actor=self.request.user, rule=instance)

    def _rendered(self, rule: RoutingRule, code: int) -> Response:
        fresh = self.get_queryset().get(pk=rule.pk)
        return Response(self.get_serializer(fresh).data, status=code)


# --- unit KPIs ---------------------------------------------------------------------------------
class UnitKpiView(APIView):
    """A unit's KPIs for the issues dispatched to it from `from` to `to` (dates, both included).
    District staff read any unit's, a unit handler their own unit's, a chain leader those of the
    units leading or cooperating on their chains; for anyone else the unit is not there (404)."""

    @extend_schema(
        operation_id="units_kpis_retrieve",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description=_("First day (YYYY-MM-DD).")),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description=_("Last day (YYYY-MM-DD).")),
        ],
        responses={200: UnitKpiSerializer, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def get(self, request, pk: int):
        unit = get_visible_or_404(kpis.kpi_units_for_user(request.user), pk=pk)
        start, end = parse_period(request.query_params)  # the ranking page's parser: 400 naming the field
        (row,) = kpis.unit_kpis(unit_ids=[unit.pk], start=start, end=end)
        return Response(UnitKpiSerializer(row).data)
