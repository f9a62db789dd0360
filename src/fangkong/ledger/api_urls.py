"""/api/v1/ routes of the ledger module."""

from rest_framework.routers import SimpleRouter

from fangkong.ledger.api import KeyPersonViewSet, PushViewSet

router = SimpleRouter()
router.register("keypersons", KeyPersonViewSet, basename="api-keyperson")
router.register("pushes", PushViewSet, basename="api-push")

urlpatterns = router.urls
