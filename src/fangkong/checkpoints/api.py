"""Checkpoints API: scoped reads from checkpoints.selectors; a vehicle is registered through
checkpoints.services.vehicle_register, exactly as the page does."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from fangkong.checkpoints import selectors
from fangkong.checkpoints import serializers as s
from fangkong.checkpoints.services import vehicle_register
from fangkong.core.rest import HasModelPermission

VIEW = ["checkpoints.view_checkpoint"]
VIEW_CHECKS = ["checkpoints.view_vehiclecheck"]
REGISTER = [*VIEW_CHECKS, "checkpoints.add_vehiclecheck"]

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "A key the phone makes once per vehicle (1-48 letters, digits, . _ : -) and sends "
        "again when it retries: a key seen before answers 200 with the stored check and "
        "writes nothing."
    ),
)


def _filters(serializer_class, request) -> dict:
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


@extend_schema_view(
    list=extend_schema(
        summary=_("List the checkpoints you see"), parameters=[s.CheckpointFilterSerializer]
    ),
    retrieve=extend_schema(summary=_("One checkpoint with its shifts")),
)
class CheckpointViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CheckpointSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW, "list": VIEW, "retrieve": VIEW}

    def get_queryset(self):
        qs = selectors.checkpoint_queryset(user=self.request.user).prefetch_related("shifts")
        if self.action == "list":
            data = _filters(s.CheckpointFilterSerializer, self.request)
            qs = selectors.checkpoint_list(
                user=self.request.user, q=data.get("q", ""), is_open=data.get("is_open")
            ).prefetch_related("shifts")
        return qs


@extend_schema_view(
    list=extend_schema(
        summary=_("List vehicle checks with their persons"),
        parameters=[s.VehicleCheckFilterSerializer],
    ),
    retrieve=extend_schema(summary=_("One vehicle check with its persons")),
    create=extend_schema(
        summary=_("Register a vehicle and everyone in it"),
        description=_(
            "Every person is validated (ID number checksum, temperature 34.0-43.0, "
            "destination); on any error nothing is stored and extra.fields names the person "
            'and field, e.g. "occupants.1.temperature". A fever raises an alert; a passed '
            "traveller bound for a village of the district is pushed there when the rules say "
            "so; one bound elsewhere goes on the outbound list."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=s.VehicleCheckWriteSerializer,
        responses={201: s.VehicleCheckSerializer, 200: s.VehicleCheckSerializer},
    ),
)
class VehicleCheckViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.VehicleCheckSerializer
    permission_classes = [HasModelPermission]
    required_perms = {
        "*": VIEW_CHECKS,
        "list": VIEW_CHECKS,
        "retrieve": VIEW_CHECKS,
        "create": REGISTER,
    }

    def get_serializer_class(self):
        if self.action == "create":
            return s.VehicleCheckWriteSerializer
        return s.VehicleCheckSerializer

    def get_queryset(self):
        if self.action == "list":
            qs = selectors.vehiclecheck_list(
                user=self.request.user, **_filters(s.VehicleCheckFilterSerializer, self.request)
            )
        else:
            qs = selectors.vehiclecheck_queryset(user=self.request.user)
        return qs.prefetch_related("occupants__destination_area")

    def create(self, request, *args, **kwargs):
        data = s.registration_body(request.data, context=self.get_serializer_context())
        vehicle = vehicle_register(
            actor=request.user,
            checkpoint=data["checkpoint"],
            plate=data.get("plate", ""),
            vehicle_kind=data["vehicle_kind"],
            direction=data.get("direction", "in"),
            checked_at=data.get("checked_at"),
            occupants=[dict(occupant) for occupant in data["occupants"]],
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
        # A replay reads the stored rows; the first answer serialises the rows just written,
        # which hold the same values (tests compare the two bodies).
        return Response(
            s.VehicleCheckSerializer(vehicle).data,
            status=status.HTTP_201_CREATED if vehicle.created else status.HTTP_200_OK,
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List checkpoint registrations, one row a person"),
        parameters=[s.RegistrationFilterSerializer],
    ),
)
class RegistrationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.RegistrationListSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW_CHECKS, "list": VIEW_CHECKS}

    def get_queryset(self):
        return selectors.registration_list(
            user=self.request.user, **_filters(s.RegistrationFilterSerializer, self.request)
        )
