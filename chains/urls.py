from django.urls import path

from chains import views

app_name = "chains"
urlpatterns = [
    path("", views.chain_list, name="chain-list"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("parks/", views.park_list, name="park-list"),
]
