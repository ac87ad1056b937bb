from django.urls import path

from dashboards.api import ChainDashboardView, DistrictDashboardView, ParkDashboardView

urlpatterns = [
    path("dashboard/district/", DistrictDashboardView.as_view(), name="dashboard-district"),
    path("dashboard/chains/<int:pk>/", ChainDashboardView.as_view(), name="dashboard-chain"),
    path("dashboard/parks/<int:pk>/", ParkDashboardView.as_view(), name="dashboard-park"),
]
