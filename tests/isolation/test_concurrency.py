"""Concurrent check-ins into one room: the room row lock keeps it from being over-filled.

Needs real concurrent transactions, so it runs on PostgreSQL only (SQLite serialises every
writer on the database file and has no row locks to prove anything with).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from fangkong.isolation import services
from fangkong.isolation.models import Stay
from tests import factories
from tests.isolation import helpers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks"),
]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        except ValidationError as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_it_never_overfills_a_room_under_concurrent_check_ins():
    tree = factories.area_tree()
    site = helpers.site(tree.town, rooms=(("101", 2),))
    room = site.rooms.get()
    persons = [helpers.key_person(tree.grid, f"居民{n}") for n in range(6)]
    outcomes = _race(
        [
            lambda kp=kp: services.stay_check_in(actor=None, key_person=kp, site=site, room=room)
            for kp in persons
        ]
    )
    assert sum(isinstance(o, Stay) for o in outcomes) == 2
    assert Stay.objects.filter(room=room, checked_out_at__isnull=True).count() == 2
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert {e.error_dict["room"][0].code for e in refused} == {"room_full"}


def test_one_person_checked_into_two_rooms_at_once_gets_one_stay():
    tree = factories.area_tree()
    site = helpers.site(tree.town, rooms=(("101", 1), ("102", 1)))
    key_person = helpers.key_person(tree.grid)
    rooms = list(site.rooms.order_by("number"))
    outcomes = _race(
        [
            lambda room=room: services.stay_check_in(
                actor=None, key_person=key_person, site=site, room=room
            )
            for room in rooms
        ]
    )
    assert sum(isinstance(o, Stay) for o in outcomes) == 1
    assert Stay.objects.filter(key_person=key_person).count() == 1
