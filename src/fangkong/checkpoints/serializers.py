"""Shapes of the checkpoints API. Thin: types only; vehicle_register checks the rules, so a
phone gets the same messages as the page, keyed "occupants.<n>.<field>"."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from fangkong.checkpoints.models import Checkpoint, Outcome, Registration, Shift, VehicleCheck
from fangkong.checkpoints.selectors import checkpoint_for_registering, checkpoint_queryset


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

    def to_representation(self, registration):
        return registration_data(registration)


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

    def to_representation(self, registration):
        vehicle = registration.vehicle
        return {
            **registration_data(registration),
            "checked_at": _DATETIME.to_representation(registration.checked_at),
            "vehicle": registration.vehicle_id,
            "plate": vehicle.plate,
            "checkpoint": vehicle.checkpoint_id,
            "checkpoint_name": vehicle.checkpoint.name,
        }


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
        return [registration_data(row) for row in rows]

    def to_representation(self, vehicle):
        return {
            "id": vehicle.pk,
            "checkpoint": vehicle.checkpoint_id,
            "checkpoint_name": vehicle.checkpoint.name,
            "shift": vehicle.shift_id,
            "shift_name": self.get_shift_name(vehicle),
            "duty_date": _date(vehicle.duty_date),
            "checked_at": _DATETIME.to_representation(vehicle.checked_at),
            "plate": vehicle.plate,
            "plate_region": vehicle.plate_region,
            "vehicle_kind": vehicle.vehicle_kind,
            "direction": vehicle.direction,
            "turned_back": vehicle.turned_back,
            "occupants": self.get_occupants(vehicle),
            "created_at": _DATETIME.to_representation(vehicle.created_at),
        }


# The bodies above are built by hand: DRF built the fields of a ModelSerializer for every
# object, which cost a third of the CPU time of a registration request (issue 3's load
# test). tests/checkpoints/test_serializers.py holds them equal to DRF's own output.
_DATETIME = serializers.DateTimeField()
_TEMPERATURE = serializers.DecimalField(
    max_digits=Registration._meta.get_field("temperature").max_digits,
    decimal_places=Registration._meta.get_field("temperature").decimal_places,
)


def _date(value):
    return value.isoformat() if value is not None else None


def registration_data(registration: Registration) -> dict:
    r = registration
    area = r.destination_area
    return {
        "id": r.pk,
        "name": r.name,
        "id_number_masked": r.id_number_masked,
        "phone_masked": r.phone_masked,
        "sex": r.sex,
        "birth_date": _date(r.birth_date),
        "native_region": r.native_region,
        "is_driver": r.is_driver,
        "origin": r.origin,
        "origin_region": r.origin_region,
        "travel_history": r.travel_history,
        "from_risk_area": r.from_risk_area,
        "case_contact": r.case_contact,
        "temperature": (
            _TEMPERATURE.to_representation(r.temperature) if r.temperature is not None else None
        ),
        "notice_given": r.notice_given,
        "destination_area": r.destination_area_id,
        "destination_area_name": area.name if area is not None else "",
        "destination_address": r.destination_address,
        "outcome": r.outcome,
        "outcome_display": r.get_outcome_display(),
        "flagged": r.flagged,
        "pushed": r.pushed,
        "person": r.person_id,
        "note": r.note,
    }


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
    """A checkpoint the caller may register at; one unknown and one not theirs get the
    same answer."""

    def get_queryset(self):
        return checkpoint_queryset(user=self.context["request"].user)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except ValueError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        checkpoint = None
        if 0 < pk < 2**31:
            checkpoint = checkpoint_for_registering(user=self.context["request"].user, pk=pk)
        if checkpoint is None:
            self.fail("does_not_exist", pk_value=data)
        return checkpoint


class VehicleBodySerializer(serializers.Serializer):
    """The body of a registration but its checkpoint, which depends on the caller."""

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


class VehicleCheckWriteSerializer(VehicleBodySerializer):
    checkpoint = ScopedCheckpointField(help_text=_("A checkpoint you are on duty at."))


_BODY = VehicleBodySerializer()


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


def registration_body(data, *, context) -> dict:
    """The body of POST vehicle-checks/ checked exactly as VehicleCheckWriteSerializer would
    (same messages, same nesting), but by one shared serializer whose fields were built once.

    DRF deep-copies every declared field for every request: for a body of a dozen fields a
    person that was a tenth of a registration's CPU time under load (issue 3). Validating
    keeps no state on a serializer, so one instance serves every request and thread; only
    the checkpoint, which depends on the caller, gets a field of its own.
    tests/checkpoints/test_registration_body.py holds the result equal to DRF's.
    """
    if not isinstance(data, Mapping):
        return VehicleCheckWriteSerializer(data=data, context=context).run_validation(data)
    errors, values = {}, {}
    field = ScopedCheckpointField(help_text="")
    field.bind("checkpoint", _CallerContext(context))
    try:
        values["checkpoint"] = field.run_validation(data.get("checkpoint", empty))
    except serializers.ValidationError as exc:
        errors["checkpoint"] = exc.detail
    try:
        values.update(_BODY.run_validation(data))
    except serializers.ValidationError as exc:
        errors.update(exc.detail)
    if errors:
        raise serializers.ValidationError(errors)
    return values


class _CallerContext:
    """The parent a lone field reads its context from (field.context is root._context)."""

    parent = None
    partial = False

    def __init__(self, context):
        self._context = context
