"""REST API of the quarterly chain meetings: /api/v1/meetings/ (filters chain, quarter, kind,
status), one POST per workflow action (reschedule, add-item, hold, record-minutes, discuss, decide,
cancel), and /api/v1/meetings/{id}/agenda/ and /decisions/. Thin: the list starts from the selector
(scope in SQL), a meeting outside scope is a 404 on every route; the actions are declared in
meetings.actions (403 / 409 before the body is read, then the service)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chainparty import api
from chainparty.actions import ActionRoutesMixin
from chainparty.filters import UserScopedFilterBackend
from meetings import selectors
from meetings.actions import MEETING_ACTIONS
from meetings.filters import MeetingFilter
from meetings.serializers import (
    AgendaItemSerializer,
    DecisionSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
)

ERRORS = {**api.ERRORS, 409: api.conflict(_("The meeting's state does not allow this now."))}


@extend_schema_view(
    list=extend_schema(responses={200: MeetingSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: MeetingDetailSerializer, 404: ERRORS[404]}),
)
class MeetingViewSet(ActionRoutesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Quarterly chain meetings (专题会议, with the strategic consulting and joint meetings) in the
    user's scope; each workflow step is a POST action."""

    lookup_value_regex = r"[0-9]+"
    filter_backends = [UserScopedFilterBackend]
    filterset_class = MeetingFilter
    action_set = MEETING_ACTIONS
    action_responses = {200: MeetingDetailSerializer, **ERRORS}

    def get_queryset(self):
        return selectors.list_meetings_for_user(self.request.user)

    def get_serializer_class(self):
        return MeetingSerializer if self.action == "list" else MeetingDetailSerializer

    def get_object(self):
        meeting = selectors.get_meeting_for_user(self.request.user, self.kwargs["pk"])  # 404 outside scope
        self.check_object_permissions(self.request, meeting)
        return meeting

    def action_response(self, meeting, result) -> Response:
        return Response(MeetingDetailSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(responses={200: AgendaItemSerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], filter_backends=[])
    def agenda(self, request, pk=None):
        """The agenda: refreshed from the chain's issues until the meeting is held, frozen then."""
        page = self.paginate_queryset(selectors.list_agenda(self.get_object()))
        return self.get_paginated_response(AgendaItemSerializer(page, many=True).data)

    @extend_schema(responses={200: DecisionSerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], filter_backends=[])
    def decisions(self, request, pk=None):
        """The decisions, each with the issue its follow-up opened (and that issue's status)."""
        page = self.paginate_queryset(selectors.list_decisions(self.get_object()))
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)
