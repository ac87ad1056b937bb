from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api import UnitViewSet
from chainparty import views
from chains.api import ChainMasterViewSet, ChainViewSet, EnterpriseViewSet, ParkViewSet
from partyorgs.api import (
    CoverageViewSet,
    OrgMeetingViewSet,
    PairingViewSet,
    PartyOrganizationViewSet,
    PartyPlanViewSet,
)
from secretaries.api import CadreViewSet, PostingSuggestionView, PostingViewSet, WorkLogViewSet

router = DefaultRouter()
router.register("chains", ChainViewSet, basename="chain")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("parks", ParkViewSet, basename="park")
router.register("units", UnitViewSet, basename="unit")
router.register("chain-masters", ChainMasterViewSet, basename="chain-master")
router.register("party-organizations", PartyOrganizationViewSet, basename="party-organization")
router.register("coverage", CoverageViewSet, basename="coverage")
router.register("cadres", CadreViewSet, basename="cadre")
router.register("postings", PostingViewSet, basename="posting")
router.register("work-logs", WorkLogViewSet, basename="work-log")
router.register("org-meetings", OrgMeetingViewSet, basename="org-meeting")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("party-plans", PartyPlanViewSet, basename="party-plan")

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("chains/", include("chains.urls")),
    path("issues/", include("issues.urls")),
    path("inbox/", include("inbox.urls")),
    path("jobs/", include("chainparty.job_urls")),
    path("party-orgs/", include("partyorgs.urls")),
    path("meetings/", include("meetings.urls")),
    path("secretaries/", include("secretaries.urls")),
    path("dashboard/", include("dashboards.urls")),
    # The inbox lived under the issues once; links in old e-mails and bookmarks still arrive there.
    path("issues/inbox/", RedirectView.as_view(pattern_name="inbox:list", permanent=True, query_string=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("issues.urls_api")),
    path("api/v1/", include("meetings.urls_api")),
    path("api/v1/", include("dashboards.urls_api")),
    path("api/v1/posting-suggestions/", PostingSuggestionView.as_view(), name="posting-suggestions"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", views.SchemaView.as_view(), name="api-schema"),
    # The split view loads its start-up script from a URL: no inline script under the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
]

handler400 = "chainparty.views.bad_request"
handler403 = "chainparty.views.permission_denied"
handler404 = "chainparty.views.page_not_found"
handler500 = "chainparty.views.server_error"
