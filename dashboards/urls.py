from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("district/", views.district, name="district"),
    path("chains/<int:pk>/", views.chain, name="chain"),
    path("parks/<int:pk>/", views.park, name="park"),
]
