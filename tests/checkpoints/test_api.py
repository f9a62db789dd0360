"""/api/v1/checkpoints/, /api/v1/vehicle-checks/, /api/v1/checkpoint-registrations/."""

import pytest
from rest_framework.test import APIClient

from fangkong.checkpoints.models import Registration, VehicleCheck
from fangkong.ledger.models import Push
from fangkong.monitoring.models import Alert
from tests import factories
from tests.api.conftest import assert_error
from tests.checkpoints.conftest import occupant, register


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_login(user)
        return client

    return login


def body(checkpoint, *occupants, plate="鲁C12345"):
    people = list(occupants) or [occupant()]
    for person in people:
        person.setdefault("temperature", 36.5)
    return {"checkpoint": checkpoint.pk, "plate": plate, "vehicle_kind": "car", "occupants": people}


def test_it_lists_the_checkpoints_with_their_shifts(api_for, staff, checkpoint):
    response = api_for(staff).get("/api/v1/checkpoints/")
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["name"] == checkpoint.name and [s["name"] for s in item["shifts"]] == [
        "白班",
        "夜班",
    ]
    detail = api_for(staff).get(f"/api/v1/checkpoints/{checkpoint.pk}/")
    assert detail.json()["level"] == 1


def test_it_registers_a_vehicle_and_replays_a_retry(api_for, staff, checkpoint):
    client = api_for(staff)
    payload = body(checkpoint, occupant(temperature=36.6), occupant(temperature="38.4"))
    first = client.post(
        "/api/v1/vehicle-checks/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert first.status_code == 201, first.content
    data = first.json()
    assert [o["outcome"] for o in data["occupants"]] == ["pass", "fever_referral"]
    assert data["occupants"][0]["id_number_masked"].count("*") == 10
    again = client.post(
        "/api/v1/vehicle-checks/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert again.status_code == 200 and again.json() == data
    assert VehicleCheck.objects.count() == 1 and Registration.objects.count() == 2
    assert Push.objects.count() == 1 and Alert.objects.count() == 1


def test_it_names_the_person_and_field_of_each_error(api_for, staff, checkpoint):
    payload = body(
        checkpoint,
        occupant(),
        occupant(temperature="热", id_number="420106198001010011"),
        plate="鲁C1",
    )
    response = api_for(staff).post("/api/v1/vehicle-checks/", payload, format="json")
    fields = assert_error(response, 400, "invalid")["extra"]["fields"]
    assert {"plate", "occupants.1.temperature", "occupants.1.id_number"} <= set(fields)
    assert not VehicleCheck.objects.exists()


def test_it_refuses_a_malformed_key(api_for, staff, checkpoint):
    response = api_for(staff).post(
        "/api/v1/vehicle-checks/", body(checkpoint), format="json", HTTP_IDEMPOTENCY_KEY="a b"
    )
    assert "idempotency_key" in assert_error(response, 400, "invalid")["extra"]["fields"]


def test_it_refuses_a_checkpoint_the_caller_is_not_on_duty_at(api_for, tree, staff):
    from fangkong.checkpoints import services

    other = services.checkpoint_create(
        actor=None, area=tree.town, name="别处", level=2, kind="road"
    )
    response = api_for(staff).post("/api/v1/vehicle-checks/", body(other), format="json")
    assert "checkpoint" in assert_error(response, 400, "invalid")["extra"]["fields"]
    assert not VehicleCheck.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "norole", "grid", "command"])
def test_it_refuses_callers_who_may_not_register(api_for, users, checkpoint, who):
    response = api_for(getattr(users, who)).post(
        "/api/v1/vehicle-checks/", body(checkpoint), format="json"
    )
    assert response.status_code in (400, 404)
    assert not VehicleCheck.objects.exists()


def test_it_hides_everything_from_other_scopes(api_for, users, staff, checkpoint):
    vehicle = register(staff, checkpoint)
    for who in ("outsider", "other_town"):
        client = api_for(getattr(users, who))
        assert client.get("/api/v1/checkpoints/").json()["results"] == []
        assert client.get(f"/api/v1/checkpoints/{checkpoint.pk}/").status_code == 404
        assert client.get(f"/api/v1/vehicle-checks/{vehicle.pk}/").status_code == 404
        assert client.get("/api/v1/checkpoint-registrations/").json()["results"] == []


def test_anonymous_callers_are_refused(checkpoint):
    assert_error(APIClient().get("/api/v1/checkpoints/"), 401, "not_authenticated")
    response = APIClient().post("/api/v1/vehicle-checks/", body(checkpoint), format="json")
    assert_error(response, 401, "not_authenticated")


def test_it_lists_registrations_with_filters(api_for, users, staff, checkpoint):
    register(staff, checkpoint, occupant(name="甲"), occupant(name="乙", temperature="38.0"))
    client = api_for(users.town)
    rows = client.get("/api/v1/checkpoint-registrations/").json()["results"]
    assert {r["name"] for r in rows} == {"甲", "乙"} and rows[0]["plate"] == "鲁C12345"
    fever = client.get("/api/v1/checkpoint-registrations/", {"outcome": "fever_referral"})
    assert [r["name"] for r in fever.json()["results"]] == ["乙"]
    vehicles = client.get("/api/v1/vehicle-checks/", {"plate": "鲁C123"}).json()["results"]
    assert len(vehicles) == 1 and len(vehicles[0]["occupants"]) == 2


def test_lists_cost_the_same_for_many_rows(
    api_for, users, staff, checkpoint, django_assert_max_num_queries
):
    client = api_for(users.town)
    register(staff, checkpoint)
    for url in (
        "/api/v1/vehicle-checks/",
        "/api/v1/checkpoint-registrations/",
        "/api/v1/checkpoints/",
    ):
        client.get(url)
    for _ in range(8):
        register(staff, checkpoint, occupant(), occupant())
    with django_assert_max_num_queries(9):
        assert len(client.get("/api/v1/vehicle-checks/").json()["results"]) == 9
    with django_assert_max_num_queries(9):
        assert len(client.get("/api/v1/checkpoint-registrations/").json()["results"]) == 17
    with django_assert_max_num_queries(9):
        client.get("/api/v1/checkpoints/")


def test_a_retry_from_another_user_is_not_a_replay(api_for, users, staff, checkpoint):
    payload = body(checkpoint, occupant(id_number=factories.id_number("420106")))
    api_for(staff).post("/api/v1/vehicle-checks/", payload, format="json", HTTP_IDEMPOTENCY_KEY="x")
    other = api_for(users.town).post(
        "/api/v1/vehicle-checks/", payload, format="json", HTTP_IDEMPOTENCY_KEY="x"
    )
    assert other.status_code == 201
