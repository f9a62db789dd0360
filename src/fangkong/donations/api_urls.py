"""/api/v1/ routes of the donations module."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from fangkong.donations.api import DonationViewSet

router = SimpleRouter()
router.register("donations", DonationViewSet, basename="api-donation")

urlpatterns = [path("", include(router.urls))]
