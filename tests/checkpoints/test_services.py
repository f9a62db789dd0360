import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.checkpoints import services
from fangkong.checkpoints.models import Registration, VehicleCheck
from fangkong.inbox.models import Notification
from fangkong.ledger.models import Outbound, Push, RiskArea
from fangkong.monitoring.models import Alert
from fangkong.people.services import person_reveal_value
from tests import factories
from tests.checkpoints.conftest import occupant, register


def test_it_registers_a_car_of_three_with_one_fever(users, staff, checkpoint, tree):
    vehicle = register(
        staff,
        checkpoint,
        occupant(name="司机"),
        occupant(name="发热者", temperature="38.2"),
        occupant(name="本地人", origin="山东省淄博市临淄区", destination_area=tree.village.code),
    )
    assert vehicle.created
    assert vehicle.plate == "鲁C12345" and vehicle.plate_region == "山东省淄博市"
    rows = {r.name: r for r in Registration.objects.all()}
    assert rows["发热者"].outcome == "fever_referral"
    assert rows["司机"].is_driver and not rows["发热者"].is_driver
    assert rows["司机"].pushed and not rows["本地人"].pushed and not rows["发热者"].pushed
    alert = Alert.objects.get()
    assert alert.kind == "checkpoint_fever" and alert.temperature == Decimal("38.2")
    assert alert.area_id == tree.town.code and alert.source_id == str(rows["发热者"].pk)
    assert Notification.objects.filter(user=users.town, kind="alert").exists()
    push = Push.objects.get()
    assert push.name == "司机" and push.area_id == "370305003001001"
    assert push.reasons == "other_province" and push.source_id == str(rows["司机"].pk)
    assert push.id_number_hash == rows["司机"].id_number_hash
    assert Notification.objects.filter(user=users.village, kind="push").exists()


def test_it_pushes_with_the_right_reasons(users, staff, checkpoint, tree):
    RiskArea.objects.create(
        region_code="3703", name="淄博", level="high", listed_on=datetime.date(2020, 2, 1)
    )
    register(
        staff,
        checkpoint,
        occupant(name="风险", origin="山东省淄博市张店区"),
        occupant(name="标记", origin="山东省济南市", flagged=True),
        occupant(name="接触", origin="山东省济南市", case_contact=True),
        occupant(name="省内", origin="山东省济南市"),
    )
    reasons = dict(Push.objects.values_list("name", "reasons"))
    assert reasons == {"风险": "risk_area", "标记": "flagged", "接触": "flagged"}


def test_it_sends_destinations_outside_the_district_to_outbound(staff, checkpoint):
    register(
        staff,
        checkpoint,
        occupant(destination_area="", destination_address="山东省淄博市张店区某小区"),
    )
    outbound = Outbound.objects.get()
    assert outbound.destination_region == "370303" and outbound.reasons == "other_province"
    assert not Push.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"temperature": "33.9"}, "temperature"),
        ({"temperature": "43.1"}, "temperature"),
        ({"temperature": "abc"}, "temperature"),
        ({"temperature": ""}, "temperature"),
        ({"temperature": "36.55"}, "temperature"),
        ({"id_number": "420106198001010011"}, "id_number"),
        ({"id_number": ""}, "id_number"),
        ({"phone": "12"}, "phone"),
        ({"destination_area": "370302001001"}, "destination_area"),
        ({"destination_area": "370305003"}, "destination_area"),
        ({"destination_area": "", "destination_address": "淄博市临淄区辛店"}, "destination_area"),
        ({"destination_area": ""}, "destination_area"),
        ({"name": ""}, "name"),
        ({"origin": ""}, "origin"),
        ({"outcome": "vanished"}, "outcome"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(staff, checkpoint, values, field):
    with pytest.raises(ValidationError) as caught:
        register(staff, checkpoint, occupant(name="好人"), occupant(**values))
    assert f"occupants.1.{field}" in caught.value.message_dict
    assert not VehicleCheck.objects.exists() and not Registration.objects.exists()
    assert not Push.objects.exists() and not Alert.objects.exists()


@pytest.mark.parametrize("plate", ["鲁C1234", "AB12345", "鲁CI2345", "使12345", ""])
def test_it_refuses_a_malformed_plate(staff, checkpoint, plate):
    with pytest.raises(ValidationError) as caught:
        register(staff, checkpoint, plate=plate)
    assert "plate" in caught.value.message_dict
    assert not VehicleCheck.objects.exists()


def test_it_accepts_new_energy_plates_and_pedestrians_without_one(staff, checkpoint):
    assert register(staff, checkpoint, plate="鲁cd12345").plate == "鲁CD12345"
    assert register(staff, checkpoint, plate="", kind="on_foot").plate == ""


def test_it_refuses_the_same_person_twice_in_one_vehicle(staff, checkpoint):
    number = factories.id_number("420106")
    with pytest.raises(ValidationError) as caught:
        register(staff, checkpoint, occupant(id_number=number), occupant(id_number=number))
    assert "occupants.1.id_number" in caught.value.message_dict


def test_it_stores_a_retry_once(staff, checkpoint):
    first = register(staff, checkpoint, idempotency_key="a1b2c3")
    again = register(staff, checkpoint, idempotency_key="a1b2c3")
    assert first.created and not again.created and again.pk == first.pk
    assert VehicleCheck.objects.count() == 1 and Push.objects.count() == 1


def test_it_keeps_keys_of_two_users_apart(users, staff, checkpoint):
    register(staff, checkpoint, idempotency_key="same")
    other = register(users.town, checkpoint, idempotency_key="same")
    assert other.created and VehicleCheck.objects.count() == 2


def test_it_links_a_known_person_and_uses_their_phone(staff, checkpoint, tree):
    known = factories.person(tree.grid, "王五")
    register(
        staff,
        checkpoint,
        occupant(name="王五", id_number=person_reveal_value(known, "id_number"), phone=""),
    )
    registration = Registration.objects.get()
    assert registration.person_id == known.pk
    assert registration.phone_hash == known.phone_hash


def test_it_refuses_staff_of_another_checkpoint_and_closed_checkpoints(
    tree, users, staff, checkpoint
):
    other = services.checkpoint_create(
        actor=None, area=tree.village, name="村口", level=3, kind="village_entrance"
    )
    with pytest.raises(ValidationError):
        register(staff, other)
    with pytest.raises(ValidationError):
        register(users.other_town, checkpoint)
    register(users.village, other)  # village staff register at any checkpoint of their scope
    services.checkpoint_update(
        actor=None,
        checkpoint=checkpoint,
        area=tree.town,
        name=checkpoint.name,
        level=1,
        kind="highway_exit",
        is_open=False,
    )
    checkpoint.refresh_from_db()
    with pytest.raises(ValidationError):
        register(staff, checkpoint)


def test_it_counts_the_early_hours_of_a_night_shift_to_the_day_before(staff, checkpoint):
    moment = timezone.make_aware(datetime.datetime(2020, 2, 3, 2, 30))
    vehicle = register(staff, checkpoint, checked_at=moment)
    assert vehicle.shift.name == "夜班" and vehicle.duty_date == datetime.date(2020, 2, 2)
    noon = timezone.make_aware(datetime.datetime(2020, 2, 3, 12, 0))
    assert register(staff, checkpoint, checked_at=noon).shift.name == "白班"


def test_it_refuses_a_time_in_the_future(staff, checkpoint):
    with pytest.raises(ValidationError) as caught:
        register(staff, checkpoint, checked_at=timezone.now() + datetime.timedelta(hours=1))
    assert "checked_at" in caught.value.message_dict


def test_it_turns_back_a_whole_vehicle(staff, checkpoint):
    vehicle = register(
        staff,
        checkpoint,
        occupant(outcome="turned_back", destination_area=""),
        occupant(outcome="turned_back"),
    )
    assert vehicle.turned_back and not Push.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("36.5", "36.5"), (36.5, "36.5"), ("３６．８", "36.8"), ("37℃", "37.0"), ("36.50", "36.5")],
)
def test_it_reads_temperatures_as_typed(value, expected):
    assert services.parse_temperature(value) == Decimal(expected)
