from django.urls import path

from secretaries import views

app_name = "secretaries"
urlpatterns = [
    path("", views.posting_list, name="posting-list"),
    path("postings/new/", views.posting_create, name="posting-create"),
    path("postings/<int:pk>/", views.posting_detail, name="posting-detail"),
    path("postings/<int:pk>/<slug:action>/", views.posting_action, name="posting-action"),
    path("cadres/", views.cadre_list, name="cadre-list"),
    path("cadres/new/", views.cadre_create, name="cadre-create"),
    path("cadres/<int:pk>/edit/", views.cadre_edit, name="cadre-edit"),
    path("mine/", views.my_postings, name="mine"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("parks/", views.park_overview, name="parks"),
]
