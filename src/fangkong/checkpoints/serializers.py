"""Shapes of the checkpoints API. Thin: types only; vehicle_register checks the rules, so a
phone gets the same messages as the page, keyed "occupants.<n>.<field>"."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong.checkpoints.models import Checkpoint, Outcome, Registration, Shift, VehicleCheck
from fangkong.checkpoints.selectors import checkpoint_queryset


class ShiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shift
        fields = ["id", "name", "starts", "ends"]
        read_only_fields = fields


class CheckpointSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    shifts = ShiftSerializer(many=True, read_only=True)

    class Meta:
        model = Checkpoint
        fields = [
            "id",
            "name",
            "level",
            "level_display",
            "kind",
            "kind_display",
            "area",
            "area_name",
            "location",
            "is_open",
            "shifts",
        ]
        read_only_fields = fields


class CheckpointFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text=_("Part of the name or place.")
    )
    is_open = serializers.BooleanField(required=False, allow_null=True, default=None)


class RegistrationSerializer(serializers.ModelSerializer):
    """One person of a vehicle check, identifiers masked."""

    destination_area_name = serializers.SerializerMethodField()
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "name",
            "id_number_masked",
            "phone_masked",
            "sex",
            "birth_date",
            "native_region",
            "is_driver",
            "origin",
            "origin_region",
            "travel_history",
            "from_risk_area",
            "case_contact",
            "temperature",
            "notice_given",
            "destination_area",
            "destination_area_name",
            "destination_address",
            "outcome",
            "outcome_display",
            "flagged",
            "pushed",
            "person",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_destination_area_name(self, registration) -> str:
        area = registration.destination_area
        return area.name if area is not None else ""


class RegistrationListSerializer(RegistrationSerializer):
    vehicle = serializers.IntegerField(source="vehicle_id", read_only=True)
    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    checkpoint = serializers.IntegerField(source="vehicle.checkpoint_id", read_only=True)
    checkpoint_name = serializers.CharField(source="vehicle.checkpoint.name", read_only=True)

    class Meta(RegistrationSerializer.Meta):
        fields = [
            *RegistrationSerializer.Meta.fields,
            "checked_at",
            "vehicle",
            "plate",
            "checkpoint",
            "checkpoint_name",
        ]
        read_only_fields = fields


class VehicleCheckSerializer(serializers.ModelSerializer):
    checkpoint_name = serializers.CharField(source="checkpoint.name", read_only=True)
    shift_name = serializers.SerializerMethodField()
    occupants = serializers.SerializerMethodField()

    class Meta:
        model = VehicleCheck
        fields = [
            "id",
            "checkpoint",
            "checkpoint_name",
            "shift",
            "shift_name",
            "duty_date",
            "checked_at",
            "plate",
            "plate_region",
            "vehicle_kind",
            "direction",
            "turned_back",
            "occupants",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_shift_name(self, vehicle) -> str:
        return vehicle.shift.name if vehicle.shift_id else ""

    @extend_schema_field(RegistrationSerializer(many=True))
    def get_occupants(self, vehicle):
        # A check just registered carries its rows; a stored one reads them (prefetched).
        rows = getattr(vehicle, "_occupants", None)
        if rows is None:
            rows = sorted(vehicle.occupants.all(), key=lambda r: r.pk)
        return RegistrationSerializer(rows, many=True).data


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}], "example": 36.5})
class TemperatureField(serializers.CharField):
    """A number or its text ("36.5"); checked by the service (34.0-43.0, one decimal)."""


class OccupantWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, allow_blank=True)
    id_number = serializers.CharField(max_length=40, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    is_driver = serializers.BooleanField(required=False, default=False)
    origin = serializers.CharField(
        max_length=210,
        allow_blank=True,
        help_text=_("Where the person comes from, as said (湖北省武汉市武昌区)."),
    )
    origin_region = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text=_("Statistics code of the origin; derived from the text when omitted."),
    )
    travel_history = serializers.CharField(max_length=310, required=False, allow_blank=True)
    from_risk_area = serializers.BooleanField(required=False, default=False)
    case_contact = serializers.BooleanField(required=False, default=False)
    temperature = TemperatureField(
        allow_blank=True, max_length=12, help_text=_("°C, 34.0 to 43.0, one decimal.")
    )
    notice_given = serializers.BooleanField(required=False, default=False)
    destination_area = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("Code of a village or grid of the district the person is going to."),
    )
    destination_address = serializers.CharField(
        max_length=210,
        required=False,
        allow_blank=True,
        help_text=_("Address outside the district, when not going to one of its villages."),
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        required=False,
        default=Outcome.PASS,
        help_text=_("A temperature at or above the fever threshold makes it fever_referral."),
    )
    flagged = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=310, required=False, allow_blank=True)


@extend_schema_field(OpenApiTypes.INT)
class ScopedCheckpointField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return checkpoint_queryset(user=self.context["request"].user)


class VehicleCheckWriteSerializer(serializers.Serializer):
    checkpoint = ScopedCheckpointField(help_text=_("A checkpoint you are on duty at."))
    plate = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("鲁C12345 or a new-energy 鲁CD12345; may be empty on foot or on a motorcycle."),
    )
    vehicle_kind = serializers.ChoiceField(choices=VehicleCheck.VehicleKind.choices)
    direction = serializers.ChoiceField(
        choices=VehicleCheck.Direction.choices, required=False, default="in"
    )
    checked_at = serializers.DateTimeField(
        required=False, help_text=_("When the vehicle was checked; now when omitted.")
    )
    occupants = OccupantWriteSerializer(many=True)


class VehicleCheckFilterSerializer(serializers.Serializer):
    checkpoint = serializers.IntegerField(required=False, min_value=1)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    plate = serializers.CharField(required=False, allow_blank=True, max_length=12)


class RegistrationFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_("A full ID number or phone (exact), a plate, or the start of a name."),
    )
    checkpoint = serializers.IntegerField(required=False, min_value=1)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    pushed = serializers.BooleanField(required=False, allow_null=True, default=None)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
