"""The issue routes under /api/v1/ (included by chainparty/urls.py before the project's router).
A SimpleRouter: the API root view stays the project router's."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from issues.api import (
    ComplaintSessionViewSet,
    IssueCategoryViewSet,
    IssueViewSet,
    RoutingRuleViewSet,
    UnitKpiView,
)

router = SimpleRouter()
router.register("issues", IssueViewSet, basename="issue")
router.register("issue-categories", IssueCategoryViewSet, basename="issue-category")
router.register("complaint-sessions", ComplaintSessionViewSet, basename="complaint-session")
router.register("routing-rules", RoutingRuleViewSet, basename="routing-rule")

urlpatterns = [
    *router.urls,
    path("units/<int:pk>/kpis/", UnitKpiView.as_view(), name="unit-kpis"),
]
