from django.urls import path

from chains import views

app_name = "chains"
urlpatterns = [
    path("", views.chain_list, name="chain-list"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("parks/", views.park_list, name="park-list"),
    path("parks/<int:pk>/", views.park_detail, name="park-detail"),
    # Last: a chain code is a slug and must not shadow "enterprises/" or "parks/".
    path("<slug:code>/", views.chain_detail, name="chain-detail"),
]
