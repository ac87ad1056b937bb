"""REST API of issue tickets (issue 3's contract): /api/v1/issues/ with one POST action per workflow
step, /issue-categories/, /complaint-sessions/, /routing-rules/ and /units/{id}/kpis/.

Thin: every list starts from a selector (scope in SQL) and every issue is fetched with
get_issue_for_user (outside scope it does not exist: 404 on every route). An action then asks the
declared workflow table — 403 when the user may never take it on this issue, 409 with the actions
allowed now when the state does not allow it — before its input is parsed, so the answer does not
depend on the body sent; the service checks again under the row lock and decides everything else.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Role
from chainparty.api import ErrorSerializer, InvalidTransitionSerializer
from chainparty.dates import start_of_day
from chainparty.permissions import IsDistrictStaff
from chainparty.scope import get_visible_or_404
from issues import kpis, routing, selectors, services, workflow
from issues.models import Issue, IssueAssignment, IssueCategory, Rating, RoutingRule, Status
from issues.serializers import (
    CommentInputSerializer,
    ComplaintSessionInputSerializer,
    ComplaintSessionSerializer,
    DispatchInputSerializer,
    ExtensionDecisionInputSerializer,
    ExtensionRequestInputSerializer,
    IssueCategorySerializer,
    IssueCreateInputSerializer,
    IssueDetailSerializer,
    IssueEventSerializer,
    IssueListSerializer,
    NoteInputSerializer,
    RateInputSerializer,
    ReasonInputSerializer,
    ReplyPartInputSerializer,
    ResolveInputSerializer,
    RoutingRuleInputSerializer,
    RoutingRuleSerializer,
    SessionIssuesInputSerializer,
    SuperviseInputSerializer,
    UnitKpiSerializer,
)
from issues.workflow import Action

IDEMPOTENCY_KEY_MAX = 100


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("Invalid input; `errors` names each field and why.")),
    403: OpenApiResponse(ErrorSerializer, description=_("Not signed in, or not allowed to do this.")),
    404: OpenApiResponse(ErrorSerializer, description=_("No such object, or not in your scope.")),
    409: OpenApiResponse(InvalidTransitionSerializer, description=_("The issue's state does not allow this now.")),
}
ACTION_RESPONSES = {
    200: IssueDetailSerializer,
    204: OpenApiResponse(description=_("Done; the issue is no longer in your scope (your unit returned it).")),
    **ERRORS,
}


# --- the issue list's filters ------------------------------------------------------------------
@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


BOOLEAN_CHOICES = [("true", _("yes")), ("false", _("no"))]
ESCALATION_CHOICES = [(level, str(level)) for level in range(4)]


class IssueFilter(django_filters.FilterSet):
    """Every value is checked: a bad one is a 400 naming the filter, never silently ignored. Ids
    that match nothing the user may see simply give an empty page (the list is scoped first)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    chain = IdFilter(label=_("Chain"), field_name="chain_id")
    category = django_filters.ModelChoiceFilter(
        label=_("Category (code)"), queryset=IssueCategory.objects.all(), to_field_name="code"
    )
    unit = IdFilter(label=_("Lead or co-handling unit"), method="filter_unit")
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    overdue = django_filters.ChoiceFilter(
        label=_("Past the resolve deadline now"), choices=BOOLEAN_CHOICES, method="filter_overdue"
    )
    escalation_level = django_filters.ChoiceFilter(label=_("Escalation level"), choices=ESCALATION_CHOICES)
    created_after = django_filters.DateFilter(
        label=_("Created on or after (date, Asia/Shanghai)"), method="filter_created_after"
    )
    created_before = django_filters.DateFilter(
        label=_("Created on or before (date, Asia/Shanghai)"), method="filter_created_before"
    )

    class Meta:
        model = Issue
        fields = [
            "status",
            "chain",
            "category",
            "unit",
            "enterprise",
            "overdue",
            "escalation_level",
            "created_after",
            "created_before",
        ]

    def filter_unit(self, queryset, name, value):
        # A unit's live share, lead or co-handling; a subquery so that no row is repeated.
        shares = IssueAssignment.objects.filter(unit_id=value, status__in=kpis.LIVE_SHARES).values("issue_id")
        return queryset.filter(pk__in=shares)

    def filter_overdue(self, queryset, name, value):
        overdue = Issue.objects.overdue(timezone.now()).values("pk")
        return queryset.filter(pk__in=overdue) if value == "true" else queryset.exclude(pk__in=overdue)

    def filter_created_after(self, queryset, name, value):
        return queryset.filter(created_at__gte=start_of_day(value))

    def filter_created_before(self, queryset, name, value):
        return queryset.filter(created_at__lt=start_of_day(value + timedelta(days=1)))


# --- issues ------------------------------------------------------------------------------------
def _parsed(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(responses={200: IssueListSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: IssueDetailSerializer, 404: ERRORS[404]}),
)
class IssueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Issue tickets (问题诉求) in the user's scope; each workflow step is a POST action."""

    lookup_value_regex = r"[0-9]+"
    filterset_class = IssueFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.list_issues_for_user(self.request.user)

    def get_serializer_class(self):
        return IssueListSerializer if self.action == "list" else IssueDetailSerializer

    # reads
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.kwargs["pk"])

    @extend_schema(
        request=IssueCreateInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_("A retried request with the same key returns the issue already created (200)."),
            )
        ],
        responses={201: IssueDetailSerializer, 200: IssueDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]},
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
        data = _parsed(IssueCreateInputSerializer, request)
        replay = key is not None and Issue.objects.filter(submitted_by=user, idempotency_key=key).exists()
        issue = services.submit_issue(
            actor=user,
            enterprise_id=data["enterprise"],
            category_code=data["category"],
            title=data["title"],
            description=data["description"],
            chain_id=data.get("chain"),
            uploads=[services.Upload(upload.name, upload, upload.size) for upload in data.get("attachments", [])],
            idempotency_key=key,
        )
        return self._detail(issue.pk, status.HTTP_200_OK if replay else status.HTTP_201_CREATED)

    @extend_schema(responses={200: IssueEventSerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request, pk=None):
        """The timeline; internal entries only for the government side."""
        issue = self._issue()
        page = self.paginate_queryset(selectors.list_events_for_user(request.user, issue))
        return self.get_paginated_response(IssueEventSerializer(page, many=True).data)

    # workflow actions, in the order of the table
    @extend_schema(request=NoteInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(
            Action.ACCEPT,
            NoteInputSerializer,
            lambda issue, data: services.accept_issue(issue_id=issue.pk, actor=request.user, note=data["note"]),
        )

    @extend_schema(request=ReasonInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(
            Action.REJECT,
            ReasonInputSerializer,
            lambda issue, data: services.reject_issue(issue_id=issue.pk, actor=request.user, reason=data["reason"]),
        )

    @extend_schema(request=DispatchInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_issue(self, request, pk=None):  # not `dispatch`: that is APIView's own method
        """Transfer (one lead unit) or joint handling (lead + co-handling units). The detail's
        `suggested_lead_unit` is the routing rules' suggestion."""
        return self._act(
            Action.DISPATCH,
            DispatchInputSerializer,
            lambda issue, data: services.dispatch_issue(
                issue_id=issue.pk,
                actor=request.user,
                mode=data["mode"],
                lead_unit_id=data["lead_unit"],
                co_unit_ids=data["co_units"],
                note=data["note"],
                co_due_days=data.get("co_due_days"),
            ),
        )

    @extend_schema(request=None, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._act(
            Action.SIGN, None, lambda issue, data: services.sign_issue(issue_id=issue.pk, actor=request.user)
        )

    @extend_schema(request=ReasonInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_issue(self, request, pk=None):
        """退单: not this unit's remit (the lead's return sends it back to the dispatcher)."""
        return self._act(
            Action.RETURN,
            ReasonInputSerializer,
            lambda issue, data: services.return_issue(issue_id=issue.pk, actor=request.user, reason=data["reason"]),
        )

    @extend_schema(request=ExtensionRequestInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="request-extension", url_name="request-extension")
    def request_extension(self, request, pk=None):
        return self._act(
            Action.REQUEST_EXTENSION,
            ExtensionRequestInputSerializer,
            lambda issue, data: services.request_extension(
                issue_id=issue.pk, actor=request.user, days=data["days"], reason=data["reason"]
            ),
        )

    @extend_schema(request=ExtensionDecisionInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="decide-extension", url_name="decide-extension")
    def decide_extension(self, request, pk=None):
        return self._act(
            Action.DECIDE_EXTENSION,
            ExtensionDecisionInputSerializer,
            lambda issue, data: services.decide_extension(
                issue_id=issue.pk, actor=request.user, grant=data["grant"], note=data["note"]
            ),
        )

    @extend_schema(request=ReplyPartInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="reply-part", url_name="reply-part")
    def reply_part(self, request, pk=None):
        """A co-handling unit's part of a joint issue."""
        return self._act(
            Action.REPLY_PART,
            ReplyPartInputSerializer,
            lambda issue, data: services.reply_part(issue_id=issue.pk, actor=request.user, reply=data["reply"]),
        )

    @extend_schema(request=ResolveInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._act(
            Action.RESOLVE,
            ResolveInputSerializer,
            lambda issue, data: services.resolve_issue(issue_id=issue.pk, actor=request.user, answer=data["answer"]),
        )

    @extend_schema(request=RateInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """满意 / 基本满意 close the issue; 不满意 reopens it (with reason codes)."""
        return self._act(
            Action.RATE,
            RateInputSerializer,
            lambda issue, data: services.rate_issue(
                issue_id=issue.pk,
                actor=request.user,
                satisfaction=data["satisfaction"],
                reason_codes=data["reason_codes"],
                comment=data["comment"],
            ),
        )

    @extend_schema(request=CommentInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        return self._act(
            Action.COMMENT,
            CommentInputSerializer,
            lambda issue, data: services.comment_on_issue(
                issue_id=issue.pk, actor=request.user, text=data["text"], public=data["public"]
            ),
        )

    @extend_schema(request=SuperviseInputSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        """督办 an escalated issue; `report` marks it for the district's circular (通报)."""
        return self._act(
            Action.SUPERVISE,
            SuperviseInputSerializer,
            lambda issue, data: services.supervise_issue(
                issue_id=issue.pk, actor=request.user, note=data["note"], report=data["report"]
            ),
        )

    # plumbing
    def _issue(self) -> Issue:
        issue = selectors.get_issue_for_user(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, issue)
        return issue

    def _act(self, action_name: str, input_serializer, call) -> Response:
        issue = self._issue()  # 404 outside scope
        workflow.require(issue, action_name, self.request.user)  # 403, then 409: before the body is read
        data = _parsed(input_serializer, self.request) if input_serializer else {}
        call(issue, data)  # the service locks the row and checks again
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
        if user.has_role(Role.DISTRICT_STAFF) and issue.status in (Status.SUBMITTED, Status.ACCEPTED):
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
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return IssueCategory.objects.filter(is_active=True).order_by("kind", "name")


class SessionCreateIsStaff(permissions.BasePermission):
    message = _("Only district staff run complaint sessions.")

    def has_permission(self, request, view) -> bool:
        return view.action != "create" or request.user.has_role(Role.DISTRICT_STAFF)


@extend_schema_view(
    list=extend_schema(responses={200: ComplaintSessionSerializer(many=True)}),
    retrieve=extend_schema(responses={200: ComplaintSessionSerializer, 404: ERRORS[404]}),
)
class ComplaintSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """吐槽大会 sessions, for district staff and the units involved; staff create them and enter the
    issues collected, many rows at once."""

    serializer_class = ComplaintSessionSerializer
    permission_classes = [permissions.IsAuthenticated, SessionCreateIsStaff]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.list_complaint_sessions_for_user(self.request.user)

    def get_object(self):
        session = get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, session)
        return session

    @extend_schema(
        request=ComplaintSessionInputSerializer,
        responses={201: ComplaintSessionSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request, *args, **kwargs):
        data = _parsed(ComplaintSessionInputSerializer, request)
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
        rows = _parsed(SessionIssuesInputSerializer, request)["rows"]
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
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return RoutingRule.objects.select_related("category", "chain", "unit").order_by("category__code", "chain_id")

    @extend_schema(request=RoutingRuleInputSerializer)
    def create(self, request, *args, **kwargs):
        data = _parsed(RoutingRuleInputSerializer, request)
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
        serializer = RoutingRuleInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
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
# `from` is a Python keyword, so the query's serializer is built with type().
KpiQuerySerializer = type(
    "KpiQuerySerializer",
    (serializers.Serializer,),
    {"from": serializers.DateField(), "to": serializers.DateField()},
)


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
        query = KpiQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["from"], query.validated_data["to"]
        if start > end:
            raise serializers.ValidationError({"to": [_("The last day comes before the first.")]})
        (row,) = kpis.unit_kpis(unit_ids=[unit.pk], start=start, end=end)
        return Response(UnitKpiSerializer(row).data)
