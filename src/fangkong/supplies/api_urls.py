"""/api/v1/ routes of the supplies module."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from fangkong.supplies import api

router = SimpleRouter()
router.register("supplies/warehouses", api.WarehouseViewSet, basename="api-supply-warehouse")
router.register("supplies/movements", api.MovementViewSet, basename="api-supply-movement")
router.register("supplies/outbounds", api.OutboundViewSet, basename="api-supply-outbound")
router.register("supplies/requests", api.RequestViewSet, basename="api-supply-request")
router.register("supplies/items", api.ItemViewSet, basename="api-supply-item")

urlpatterns = [path("", include(router.urls))]
