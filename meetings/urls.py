from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("calendar/", views.calendar_feed_settings, name="calendar"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
    path("<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<int:pk>/minutes/", views.minutes_print, name="minutes"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="meeting-ics"),
    path("<int:pk>/<slug:action>/", views.meeting_action, name="meeting-action"),
]
