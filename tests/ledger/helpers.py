"""Builders of the ledger's tests."""

import datetime

from django.utils import timezone

from fangkong.ledger import services
from fangkong.ledger.models import Category, KeyPerson, Outbound, Push
from fangkong.people.services import person_protect
from tests import factories


def push(area, name="李四", *, source=Push.Source.CHECKPOINT, id_number=None, **fields):
    protected, derived = person_protect(
        id_number=id_number or factories.id_number("420106"), phone="13912345678"
    )
    fields.setdefault("arrived_at", timezone.now())
    fields.setdefault("origin", "湖北省武汉市")
    fields.setdefault("origin_region", "420106")
    fields.setdefault("reasons", ["other_province"])
    return services.push_create(
        actor=None,
        area=area,
        source=source,
        name=name,
        protected=protected,
        derived=derived,
        district="370305",
        **fields,
    )


def age(push_obj, hours: float) -> Push:
    """Make a push look `hours` old (created_at is auto_now_add)."""
    Push.objects.filter(pk=push_obj.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours)
    )
    push_obj.refresh_from_db()
    return push_obj


def category(code="hubei") -> Category:
    return Category.objects.get(code=code)


def key_person(area, name="王五", *, person=None, state=KeyPerson.State.MANAGED, **fields):
    person = person or factories.person(area, name)
    cat = fields.pop("category", None) or category()
    fields.setdefault("period_start", timezone.localdate() - datetime.timedelta(days=3))
    return services.keyperson_create(
        actor=None,
        person=person,
        area=area,
        category=cat,
        measure=fields.pop("measure", cat.default_measure),
        source=fields.pop("source", KeyPerson.Source.MANUAL),
        state=state,
        **fields,
    )


def outbound(area, name="赵六", **fields):
    protected, _derived = person_protect(id_number=factories.id_number("370305"), phone="")
    fields.setdefault("destination", "河北省石家庄市")
    fields.setdefault("passed_at", timezone.now())
    return services.outbound_create(area=area, name=name, protected=protected, **fields)


def outbound_rows():
    return Outbound.objects.count()
