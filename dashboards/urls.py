from django.urls import path

from dashboards import export_views, views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("district/", views.district, name="district"),
    path("screen/", views.screen, name="screen"),
    path("chains/<int:pk>/", views.chain, name="chain"),
    path("parks/<int:pk>/", views.park, name="park"),
    path("district/export.xlsx", export_views.district_export, name="district-export"),
    path("chains/<int:pk>/export.xlsx", export_views.chain_export, name="chain-export"),
    path("parks/<int:pk>/export.xlsx", export_views.park_export, name="park-export"),
    path("chains/<int:pk>/report/", export_views.chain_report_page, name="chain-report"),
]
