"""/api/v1/ routes of the inbox module."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from fangkong.inbox.api import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="api-notification")

urlpatterns = [path("", include(router.urls))]
