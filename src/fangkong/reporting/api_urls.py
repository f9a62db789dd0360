"""/api/v1/ routes of the reporting module."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from fangkong.reporting.api import CompletenessView, ReportViewSet, SubmitView, ZeroView

router = SimpleRouter()
router.register("reporting/reports", ReportViewSet, basename="api-reporting-report")

urlpatterns = [
    path("", include(router.urls)),
    path(
        "reporting/units/<str:code>/submit/", SubmitView.as_view(), name="api-reporting-unit-submit"
    ),
    path("reporting/units/<str:code>/zero/", ZeroView.as_view(), name="api-reporting-unit-zero"),
    path("reporting/completeness/", CompletenessView.as_view(), name="api-reporting-completeness"),
]
