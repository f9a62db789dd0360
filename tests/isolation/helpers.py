"""Builders of the isolation tests."""

import datetime

from django.utils import timezone

from fangkong.isolation import services
from fangkong.ledger.models import Category, Measure
from fangkong.ledger.services import default_category, keyperson_create
from tests import factories


def key_person(area, name="王五", **fields):
    person = factories.person(area, name)
    if "category" not in fields:
        # Transactional tests flush the categories the data migration made.
        Category.objects.get_or_create(code="other", defaults={"name": "其他"})
        fields["category"] = default_category()
    fields.setdefault("measure", Measure.HOME_ISOLATION)
    fields.setdefault("source", "manual")
    fields.setdefault("period_start", timezone.localdate())
    return keyperson_create(actor=None, person=person, **fields)


def site(area, name="齐鲁宾馆", rooms=(("101", 1),), **fields):
    fields.setdefault("address", "辛店街道金岭路1号")
    fields.setdefault("contact_name", "刘主任")
    site = services.site_create(actor=None, area=area, name=name, **fields)
    for number, beds in rooms:
        services.room_create(actor=None, site=site, number=number, beds=beds)
    return site


def check_in(site, key_person, room=None, **fields):
    room = room or site.rooms.order_by("number").first()
    return services.stay_check_in(actor=None, key_person=key_person, site=site, room=room, **fields)


def transfer(site, key_person, **fields):
    now = timezone.now()
    fields.setdefault("pickup_address", "太公社区1号")
    fields.setdefault("vehicle_plate", "鲁C12345")
    fields.setdefault("driver", "赵师傅")
    fields.setdefault("escort", "钱医生")
    fields.setdefault("departed_at", now - datetime.timedelta(hours=2))
    return services.transfer_create(actor=None, key_person=key_person, site=site, **fields)


def isolation_user(scope, username="isolation"):
    return factories.user(username, scope, "task_isolation")


def statuses(client_for, users: dict, url: str, method: str = "get", data=None) -> dict:
    """{name: status} of `url` for each user of `users`."""
    found = {}
    for name, user in users.items():
        client = client_for(user)
        response = getattr(client, method)(url, data or {})
        found[name] = response.status_code
    return found


def matrix(users, iso, **extra) -> dict:
    """Outsider, wrong scope, right scope without a role, right scope with the role."""
    return {
        "outsider": users.outsider,
        "other_town": users.other_town,
        "norole": users.norole,
        "village": users.village,
        "iso": iso,
        **extra,
    }
