import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.isolation import services
from fangkong.isolation.models import DailyService, Stay, Transfer
from fangkong.ledger.models import KeyPerson, KeyPersonEvent, Measure
from fangkong.ledger.services import keyperson_transition
from tests.isolation import helpers


def test_it_checks_in_and_makes_the_measure_central_isolation(iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    room = site.rooms.get(number="101")
    stay = services.stay_check_in(actor=iso, key_person=key_person, site=site, room=room)
    assert (stay.area_id, stay.room_id, stay.checked_in_by) == (site.area_id, room.pk, iso)
    key_person.refresh_from_db()
    assert key_person.measure == Measure.CENTRAL_ISOLATION
    event = key_person.events.get(kind=KeyPersonEvent.Kind.MEASURE)
    assert event.actor == iso and site.name in event.reason


def test_it_links_the_transfer_that_brought_the_person(iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    transfer = helpers.transfer(site, key_person)
    stay = services.stay_check_in(
        actor=iso, key_person=key_person, site=site, room=site.rooms.first(), transfer=transfer
    )
    assert stay.transfer == transfer
    other = helpers.key_person(tree.grid2, "赵六")
    with pytest.raises(ValidationError):
        services.stay_check_in(
            actor=iso, key_person=other, site=site, room=site.rooms.first(), transfer=transfer
        )


def test_it_refuses_a_full_room(iso, site, tree):
    room = site.rooms.get(number="102")  # one bed
    helpers.check_in(site, helpers.key_person(tree.grid), room)
    second = helpers.key_person(tree.grid2, "赵六")
    with pytest.raises(ValidationError) as refused:
        services.stay_check_in(actor=iso, key_person=second, site=site, room=room)
    assert refused.value.error_dict["room"][0].code == "room_full"
    second.refresh_from_db()
    assert second.measure == Measure.HOME_ISOLATION
    assert Stay.objects.filter(room=room).count() == 1


def test_it_refuses_a_room_out_of_service_or_of_another_site(iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    room = site.rooms.get(number="101")
    services.room_update(actor=iso, room=room, beds=2, in_service=False)
    with pytest.raises(ValidationError):
        services.stay_check_in(actor=iso, key_person=key_person, site=site, room=room)
    other = helpers.site(tree.village, "另一隔离点", rooms=(("1", 1),))
    with pytest.raises(ValidationError):
        services.stay_check_in(actor=iso, key_person=key_person, site=site, room=other.rooms.get())
    assert not Stay.objects.exists()


def test_it_refuses_a_second_check_in_of_the_same_person(iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    helpers.check_in(site, key_person)
    with pytest.raises(ValidationError) as refused:
        services.stay_check_in(
            actor=iso, key_person=key_person, site=site, room=site.rooms.get(number="102")
        )
    assert refused.value.error_dict["key_person"][0].code == "already_checked_in"


def test_it_refuses_a_person_no_longer_managed_or_outside_the_scope(users, site, tree):
    key_person = helpers.key_person(tree.grid)
    keyperson_transition(actor=None, key_person=key_person, to_state="lost", reason="失联")
    with pytest.raises(ValidationError):
        helpers.check_in(site, KeyPerson.objects.get(pk=key_person.pk))
    far = helpers.key_person(tree.other_grid, "孙七")
    town_iso = helpers.isolation_user(tree.town, "town_iso")
    with pytest.raises(ValidationError):
        services.stay_check_in(actor=town_iso, key_person=far, site=site, room=site.rooms.first())
    assert not Stay.objects.exists()


def test_it_checks_out_once_and_may_change_the_measure(iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    stay = helpers.check_in(site, key_person)
    services.stay_check_out(actor=iso, stay=stay, reason="期满", measure=Measure.HEALTH_MONITORING)
    stay.refresh_from_db()
    assert stay.checked_out_at and stay.checkout_reason == "期满" and stay.checked_out_by == iso
    key_person.refresh_from_db()
    assert key_person.measure == Measure.HEALTH_MONITORING
    with pytest.raises(ValidationError) as refused:
        services.stay_check_out(actor=iso, stay=stay, reason="again")
    assert refused.value.error_list[0].code == "already_checked_out"
    stay.refresh_from_db()
    assert stay.checkout_reason == "期满"
    # The bed is free again.
    helpers.check_in(site, helpers.key_person(tree.grid2, "赵六"), stay.room)


def test_it_needs_a_reason_to_check_out(iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    with pytest.raises(ValidationError):
        services.stay_check_out(actor=iso, stay=stay, reason="  ")
    stay.refresh_from_db()
    assert stay.checked_out_at is None


def test_it_keeps_rooms_from_shrinking_below_their_residents(iso, site, tree):
    room = site.rooms.get(number="101")
    helpers.check_in(site, helpers.key_person(tree.grid), room)
    helpers.check_in(site, helpers.key_person(tree.grid2, "赵六"), room)
    with pytest.raises(ValidationError):
        services.room_update(actor=iso, room=room, beds=1, in_service=True)
    with pytest.raises(ValidationError):
        services.room_update(actor=iso, room=room, beds=2, in_service=False)
    services.room_update(actor=iso, room=room, beds=3, in_service=True)


def test_it_refuses_a_duplicate_room_and_a_room_without_beds(iso, site):
    with pytest.raises(ValidationError):
        services.room_create(actor=iso, site=site, number="101", beds=1)
    with pytest.raises(ValidationError):
        services.room_create(actor=iso, site=site, number="103", beds=0)
    assert site.rooms.count() == 2


def test_it_refuses_a_site_outside_the_scope_or_above_a_town(users, tree):
    with pytest.raises(ValidationError):
        services.site_create(actor=users.other_town, area=tree.town, name="x", address="y")
    with pytest.raises(ValidationError):
        services.site_create(actor=None, area=tree.county, name="x", address="y")


# -- transfers ------------------------------------------------------------------------------


def test_it_records_a_transfer_with_a_normalised_plate(iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    transfer = helpers.transfer(site, key_person, vehicle_plate="鲁c·123 45")
    assert transfer.vehicle_plate == "鲁C12345"
    assert transfer.area_id == site.area_id and not transfer.disinfected


@pytest.mark.parametrize("plate", ["", "12345", "鲁C123", "AB12345", "鲁I12345"])
def test_it_refuses_a_malformed_plate(site, tree, plate):
    with pytest.raises(ValidationError) as refused:
        helpers.transfer(site, helpers.key_person(tree.grid), vehicle_plate=plate)
    assert "vehicle_plate" in refused.value.error_dict
    assert not Transfer.objects.exists()


def test_it_refuses_times_in_the_future_or_out_of_order(site, tree):
    key_person = helpers.key_person(tree.grid)
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    bad = [
        {"departed_at": now + hour},
        {"departed_at": now - hour, "arrived_at": now - 2 * hour},
        {"departed_at": now - 2 * hour, "arrived_at": now - hour, "disinfected": True},
        {
            "departed_at": now - 2 * hour,
            "arrived_at": now - hour,
            "disinfected": True,
            "disinfected_at": now - 90 * datetime.timedelta(minutes=1),
        },
        {"departed_at": now - hour, "disinfected_at": now},
    ]
    for fields in bad:
        with pytest.raises(ValidationError):
            helpers.transfer(site, key_person, **fields)
    assert not Transfer.objects.exists()


def test_it_carries_one_person_per_vehicle_trip(site, tree):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    helpers.transfer(site, helpers.key_person(tree.grid), departed_at=now - 3 * hour)
    # The first trip has no arrival yet: the vehicle is still on it.
    with pytest.raises(ValidationError) as refused:
        helpers.transfer(site, helpers.key_person(tree.grid2, "赵六"), departed_at=now - hour)
    assert refused.value.error_dict["vehicle_plate"][0].code == "vehicle_busy"
    first = Transfer.objects.get()
    services.transfer_complete(
        actor=None,
        transfer=first,
        arrived_at=now - 2 * hour,
        disinfected=True,
        disinfected_at=now - 2 * hour + datetime.timedelta(minutes=20),
    )
    helpers.transfer(site, helpers.key_person(tree.grid2, "赵六"), departed_at=now - hour)
    assert Transfer.objects.count() == 2


def test_it_completes_a_transfer_with_arrival_and_disinfection(iso, site, tree):
    transfer = helpers.transfer(site, helpers.key_person(tree.grid))
    now = timezone.now()
    services.transfer_complete(
        actor=iso, transfer=transfer, arrived_at=now, disinfected=True, disinfected_at=now
    )
    transfer.refresh_from_db()
    assert transfer.disinfected and transfer.disinfected_at == now
    with pytest.raises(ValidationError):
        services.transfer_complete(
            actor=iso, transfer=transfer, arrived_at=None, disinfected=True, disinfected_at=now
        )


# -- daily services -------------------------------------------------------------------------


def test_it_records_daily_services_item_by_item(iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    today = timezone.localdate()
    services.dailyservice_record(actor=iso, stay=stay, date=today, items={"meals": True})
    services.dailyservice_record(
        actor=iso, stay=stay, date=today, items={"heating": True, "temperature_taken": True}
    )
    service = DailyService.objects.get()
    assert (service.meals, service.heating, service.temperature_taken) == (True, True, True)
    assert not service.psychological and service.area_id == stay.area_id
    services.dailyservice_record(actor=iso, stay=stay, date=today, items={"meals": False})
    service.refresh_from_db()
    assert not service.meals and service.heating


def test_it_refuses_a_daily_service_in_the_future(iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.dailyservice_record(actor=iso, stay=stay, date=tomorrow, items={"meals": True})
    assert "date" in refused.value.error_dict
    assert not DailyService.objects.exists()


def test_it_refuses_a_daily_service_for_a_person_not_checked_in_that_day(iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.dailyservice_record(actor=iso, stay=stay, date=yesterday, items={"meals": True})
    assert refused.value.error_dict["date"][0].code == "not_checked_in"
    # After check-out, the days after it are refused; the day itself may still be recorded.
    later = timezone.now() + datetime.timedelta(days=2)
    services.stay_check_out(actor=iso, stay=stay, reason="期满", now=later)
    stay.refresh_from_db()
    checkout_day = timezone.localdate(later)
    services.dailyservice_record(
        actor=iso, stay=stay, date=checkout_day, items={"meals": True}, today=checkout_day
    )
    with pytest.raises(ValidationError):
        services.dailyservice_record(
            actor=iso,
            stay=stay,
            date=checkout_day + datetime.timedelta(days=1),
            items={"meals": True},
            today=checkout_day + datetime.timedelta(days=1),
        )
    assert DailyService.objects.count() == 1


def test_it_refuses_an_unknown_item(iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    with pytest.raises(ValidationError):
        services.dailyservice_record(
            actor=iso, stay=stay, date=timezone.localdate(), items={"checked_in_at": True}
        )
