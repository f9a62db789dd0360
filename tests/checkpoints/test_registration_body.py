"""The registration body is checked by a shared serializer (checkpoints.serializers.
registration_body); it must answer exactly what a fresh VehicleCheckWriteSerializer does."""

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from fangkong.checkpoints import serializers as s
from tests.checkpoints.conftest import occupant

pytestmark = pytest.mark.django_db


def drf(data, context):
    serializer = s.VehicleCheckWriteSerializer(data=data, context=context)
    if serializer.is_valid():
        return "ok", dict(serializer.validated_data)
    return "error", serializer.errors


def shared(data, context):
    try:
        return "ok", dict(s.registration_body(data, context=context))
    except serializers.ValidationError as exc:
        return "error", exc.detail


def bodies(checkpoint):
    good = {"checkpoint": checkpoint.pk, "plate": "鲁C12345", "vehicle_kind": "car"}
    person = occupant()
    return [
        {**good, "occupants": [person]},
        {**good, "occupants": [person, {**person, "is_driver": "true", "phone": 13912345678}]},
        {**good, "direction": "out", "checked_at": "2020-02-03T08:00:00+08:00"}
        | {"occupants": [person]},
        {**good, "checkpoint": str(checkpoint.pk), "occupants": [person], "unknown": 1},
        {**good, "checkpoint": 999999, "occupants": [person]},
        {**good, "checkpoint": "x", "occupants": [person]},
        {**good, "checkpoint": None, "occupants": [person]},
        {**good, "checkpoint": True, "occupants": [person]},
        {"plate": "鲁C12345", "occupants": [person]},
        {**good, "vehicle_kind": "rocket", "occupants": [person]},
        {**good, "checked_at": "yesterday", "occupants": [person]},
        {**good, "occupants": "everyone"},
        {**good, "occupants": []},
        {**good},
        {**good, "occupants": [person, "x", {**person, "name": ["a"], "temperature": None}]},
        {**good, "occupants": [{**person, "outcome": "shot"}, {**person, "note": "长" * 400}]},
        {**good, "occupants": [{"name": "张三"}]},
        {**good, "plate": 12345, "occupants": [{**person, "is_driver": "perhaps"}]},
        [good],
        "text",
    ]


def test_it_answers_what_drf_answers(staff, users, checkpoint):
    for user in (staff, users.outsider, users.norole):
        request = APIRequestFactory().post("/api/v1/vehicle-checks/")
        request.user = user
        context = {"request": request}
        for index, body in enumerate(bodies(checkpoint)):
            assert shared(body, context) == drf(body, context), (user.username, index)


def test_it_sees_the_first_body_as_valid(staff, checkpoint):
    request = APIRequestFactory().post("/api/v1/vehicle-checks/")
    request.user = staff
    verdict, values = shared(bodies(checkpoint)[0], {"request": request})
    assert verdict == "ok"
    assert values["checkpoint"] == checkpoint
