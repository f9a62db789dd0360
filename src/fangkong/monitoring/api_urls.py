"""/api/v1/ routes of the monitoring module."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from fangkong.monitoring.api import AlertViewSet, HealthLinkView, HealthLogViewSet, SampleViewSet

router = SimpleRouter()
router.register("health-logs", HealthLogViewSet, basename="api-healthlog")
router.register("alerts", AlertViewSet, basename="api-alert")
router.register("samples", SampleViewSet, basename="api-sample")

urlpatterns = [
    path("health-link/<str:token>/", HealthLinkView.as_view(), name="api-healthlink"),
    path("", include(router.urls)),
]
