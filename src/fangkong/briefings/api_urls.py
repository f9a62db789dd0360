"""/api/v1/ routes of the briefings module."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from fangkong.briefings.api import BriefingViewSet

router = SimpleRouter()
router.register("briefings", BriefingViewSet, basename="api-briefing")

urlpatterns = [path("", include(router.urls))]
