"""/api/v1/ routes of the isolation module."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from fangkong.isolation.api import DailyServiceViewSet, SiteViewSet

router = SimpleRouter()
router.register("isolation/sites", SiteViewSet, basename="api-isolation-site")
router.register(
    "isolation/daily-services", DailyServiceViewSet, basename="api-isolation-dailyservice"
)

urlpatterns = [path("", include(router.urls))]
