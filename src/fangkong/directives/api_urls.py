"""/api/v1/ routes of the directives module."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from fangkong.directives.api import DirectiveViewSet, ReceivedViewSet

router = SimpleRouter()
router.register("directives/received", ReceivedViewSet, basename="api-directive-received")
router.register("directives", DirectiveViewSet, basename="api-directive")

urlpatterns = [path("", include(router.urls))]
