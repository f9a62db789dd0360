"""/api/: version 1 of the REST API, its OpenAPI schema and the Swagger UI (vendored)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from fangkong.accounts.api import MeView, TokenView
from fangkong.core.api import AreaViewSet
from fangkong.core.rest import not_found
from fangkong.people.api import HouseholdViewSet, PersonViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="api-area")
router.register("persons", PersonViewSet, basename="api-person")
router.register("households", HouseholdViewSet, basename="api-household")

urlpatterns = [
    path("v1/me/", MeView.as_view(), name="api-me"),
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("v1/", include(router.urls)),
    path("v1/", include("fangkong.ledger.api_urls")),
    path("v1/", include("fangkong.monitoring.api_urls")),
    path("v1/", include("fangkong.checkpoints.api_urls")),
    path("v1/", include("fangkong.isolation.api_urls")),
    path("v1/", include("fangkong.inbox.api_urls")),
    path("v1/", include("fangkong.reporting.api_urls")),
    path("v1/", include("fangkong.directives.api_urls")),
    path("v1/", include("fangkong.channels.api_urls")),
    path("v1/", include("fangkong.command.api_urls")),
    path("v1/", include("fangkong.briefings.api_urls")),
    path("v1/", include("fangkong.supplies.api_urls")),
    path("v1/", include("fangkong.donations.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: anything else under /api/ is a 404 in the API's error shape.
    re_path(r"^.*$", not_found, name="api-not-found"),
]
