from django.urls import path

from issues import views

app_name = "issues"
urlpatterns = [
    path("", views.issue_list, name="issue-list"),
    path("queue/", views.queue, name="queue"),
    path("supervision/", views.supervision_queue, name="supervision-queue"),
    path("new/", views.issue_submit, name="issue-submit"),
    path("<int:pk>/", views.issue_detail, name="issue-detail"),
    path("<int:pk>/<slug:action>/", views.issue_action, name="issue-action"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("staged/<int:pk>/", views.staged_download, name="staged-download"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/entry/", views.session_entry, name="session-entry"),
    path("enterprises/lookup/", views.enterprise_lookup, name="enterprise-lookup"),
    path("ranking/", views.ranking, name="ranking"),
]
