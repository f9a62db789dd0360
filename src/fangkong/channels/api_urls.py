"""/api/v1/ routes of the channels module."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from fangkong.channels.api import ChannelViewSet, DeliveryViewSet

router = SimpleRouter()
router.register("channels/deliveries", DeliveryViewSet, basename="api-channels-delivery")
router.register("channels", ChannelViewSet, basename="api-channels-channel")

urlpatterns = [path("", include(router.urls))]
