"""The hand-built API bodies of vehicle checks and registrations equal what DRF's
ModelSerializer makes of the same fields (the fast path must not drift from the schema)."""

import pytest
from rest_framework import serializers

from fangkong.checkpoints import serializers as s
from fangkong.checkpoints.models import Registration, VehicleCheck
from tests.checkpoints.conftest import occupant, register

pytestmark = pytest.mark.django_db


def drf(serializer_class, instance):
    """What DRF itself makes of `instance` with the serializer's declared fields."""
    return serializers.ModelSerializer.to_representation(serializer_class(instance), instance)


def test_it_matches_drf_for_a_vehicle_and_its_persons(staff, checkpoint):
    register(
        staff,
        checkpoint,
        occupant(is_driver=True),
        occupant(name="王五", temperature="38.1", phone="", outcome="pass"),
        occupant(name="赵六", destination_area="", destination_address="北京市朝阳区某小区"),
    )
    vehicle = VehicleCheck.objects.select_related("checkpoint", "shift").get()
    assert s.VehicleCheckSerializer(vehicle).data == drf(s.VehicleCheckSerializer, vehicle)
    rows = list(Registration.objects.select_related("vehicle__checkpoint", "destination_area"))
    assert {r.outcome for r in rows} == {"pass", "fever_referral"}
    assert any(r.destination_area_id is None for r in rows)
    for row in rows:
        expected = drf(s.RegistrationListSerializer, row)
        assert s.RegistrationListSerializer(row).data == expected
        assert s.RegistrationSerializer(row).data == drf(s.RegistrationSerializer, row)
        assert expected["temperature"] in {"36.5", "38.1"}


def test_it_matches_drf_for_a_check_without_shift_or_plate(staff, checkpoint):
    register(staff, checkpoint, occupant(outcome="turned_back"), plate="", kind="on_foot")
    vehicle = VehicleCheck.objects.get()
    vehicle.shift = None
    vehicle.save()
    assert s.VehicleCheckSerializer(vehicle).data == drf(s.VehicleCheckSerializer, vehicle)
