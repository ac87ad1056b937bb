"""GET /api/v1/dashboard/district/, /chains/{id}/, /parks/{id}/: the dashboard's figures for the
period of ?period=month|quarter|year&on=YYYY-MM-DD or ?period=custom&start=…&end=… (the page's
parameters). A chain or park the user may not open is a 404, as on the page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from chainparty.api import ERRORS
from dashboards import figures, subjects
from dashboards.periods import PeriodForm, PeriodKind
from dashboards.serializers import DashboardSerializer

PERIOD_PARAMETERS = [
    OpenApiParameter("period", OpenApiTypes.STR, enum=PeriodKind.values, description=_("Default: quarter.")),
    OpenApiParameter("on", OpenApiTypes.DATE, description=_("A day of the month, quarter or year (default: today).")),
    OpenApiParameter("start", OpenApiTypes.DATE, description=_("First day of a custom period.")),
    OpenApiParameter("end", OpenApiTypes.DATE, description=_("Last day of a custom period.")),
]
SCHEMA = {"responses": {200: DashboardSerializer, 400: ERRORS[400], 404: ERRORS[404]}}


def _period(request):
    form = PeriodForm(request.query_params)
    # An API caller leaves a parameter out rather than sending it blank (the page's form sends blanks).
    for name in form.fields:
        if name in request.query_params and not request.query_params[name].strip():
            form.add_error(name, _("Leave the parameter out rather than send it empty."))
    if not form.is_valid():
        # A 400 naming each bad parameter with its reason, in the API's error shape.
        raise serializers.ValidationError({name: list(messages) for name, messages in form.errors.items()})
    return form.value


class _DashboardView(APIView):
    def respond(self, request, subject):
        data = figures.current(subject, _period(request))
        return Response(DashboardSerializer(data).data)


class DistrictDashboardView(_DashboardView):
    @extend_schema(operation_id="dashboard_district_retrieve", parameters=PERIOD_PARAMETERS, **SCHEMA)
    def get(self, request):
        return self.respond(request, subjects.district_for(request.user))


class ChainDashboardView(_DashboardView):
    @extend_schema(operation_id="dashboard_chain_retrieve", parameters=PERIOD_PARAMETERS, **SCHEMA)
    def get(self, request, pk: int):
        return self.respond(request, subjects.chain_for(request.user, pk))


class ParkDashboardView(_DashboardView):
    @extend_schema(operation_id="dashboard_park_retrieve", parameters=PERIOD_PARAMETERS, **SCHEMA)
    def get(self, request, pk: int):
        return self.respond(request, subjects.park_for(request.user, pk))
