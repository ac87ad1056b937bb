"""The meeting routes under /api/v1/ (included by chainparty/urls.py before the project's router)."""

from rest_framework.routers import SimpleRouter

from meetings.api import MeetingViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")

urlpatterns = router.urls
