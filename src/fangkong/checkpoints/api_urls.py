"""/api/v1/ routes of the checkpoints module."""

from rest_framework.routers import SimpleRouter

from fangkong.checkpoints.api import CheckpointViewSet, RegistrationViewSet, VehicleCheckViewSet

router = SimpleRouter()
router.register("checkpoints", CheckpointViewSet, basename="api-checkpoint")
router.register("vehicle-checks", VehicleCheckViewSet, basename="api-vehiclecheck")
router.register(
    "checkpoint-registrations", RegistrationViewSet, basename="api-checkpoint-registration"
)

urlpatterns = router.urls
