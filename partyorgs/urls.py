from django.urls import path

from partyorgs import views

app_name = "partyorgs"
urlpatterns = [
    path("", views.org_list, name="org-list"),
    path("new/", views.org_create, name="org-create"),
    path("coverage/", views.coverage, name="coverage"),
    path("should-establish/", views.should_establish, name="should-establish"),
    path("terms/", views.terms, name="terms"),
    path("meetings/", views.meetings, name="meetings"),
    path("pairings/", views.pairing_list, name="pairing-list"),
    path("pairings/new/", views.pairing_create, name="pairing-create"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing-detail"),
    path("chains/<slug:code>/pairings/", views.chain_pairings, name="chain-pairings"),
    path("chains/<slug:code>/plans/new/", views.plan_file, name="plan-file"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/", views.org_detail, name="org-detail"),
    path("<int:pk>/edit/", views.org_edit, name="org-edit"),
    path("<int:pk>/meetings/", views.meeting_record, name="meeting-record"),
]
