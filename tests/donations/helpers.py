"""Builders for the donations tests."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from fangkong.donations import services
from fangkong.donations.models import Donor
from fangkong.donations.validators import make_credit_code
from fangkong.supplies import services as supplies_services
from fangkong.supplies.defaults import catalogue_seed
from fangkong.supplies.models import Category, Item
from tests import factories

CREDIT = make_credit_code("91370305MA3C00001")
CREDIT2 = make_credit_code("52370305MJD000002")


def catalogue() -> SimpleNamespace:
    # Data a migration seeds is gone after a transactional test flushed the database.
    catalogue_seed(Category, Item)
    by_name = {item.name: item for item in Item.objects.all()}
    return SimpleNamespace(
        masks=by_name["医用外科口罩"],
        suits=by_name["防护服"],
        alcohol=by_name["医用酒精"],
        rice=by_name["大米"],
    )


def staff(tree) -> SimpleNamespace:
    """The supplies task group at the district, at 辛店街道 and at 闻韶街道 (wrong scope)."""
    return SimpleNamespace(
        district=factories.user("supplies", tree.county, "task_supplies"),
        town=factories.user("town_supplies", tree.town, "task_supplies"),
        other_town=factories.user("other_supplies", tree.other_town, "task_supplies"),
    )


def warehouse(area, name="区物资储备库"):
    return supplies_services.warehouse_create(actor=None, area=area, name=name)


def enterprise(actor, name="淄博齐鲁医药有限公司", **fields):
    fields.setdefault("credit_code", CREDIT)
    fields.setdefault("contact_name", "王经理")
    fields.setdefault("phone", "13905330001")
    return services.donor_create(actor=actor, kind=Donor.Kind.ENTERPRISE, name=name, **fields)


def person(actor, name="张三丰", **fields):
    fields.setdefault("phone", "13805330002")
    return services.donor_create(actor=actor, kind=Donor.Kind.INDIVIDUAL, name=name, **fields)


def today() -> datetime.date:
    return timezone.localdate()


def donation(actor, area, donor, *, amount=None, lines=(), **fields):
    fields.setdefault("received_on", today())
    if amount is not None:
        fields.setdefault("channel", "bank")
    return services.donation_create(
        actor=actor,
        area=area,
        donor=donor,
        amount=None if amount is None else Decimal(str(amount)),
        lines=[
            {"item": item, "quantity": Decimal(str(qty)), "value": Decimal(str(value))}
            for item, qty, value in lines
        ],
        **fields,
    )


def issue(store, area, item, quantity, unit_name=None):
    return supplies_services.issue_create(
        actor=None,
        warehouse=store,
        recipient_area=area,
        unit_name=unit_name or area.name,
        unit_type="village",
        lines=[{"item": item, "quantity": Decimal(str(quantity))}],
    )


def statuses(client_for, who: dict, url: str, method: str = "get", data=None) -> dict:
    found = {}
    for name, user in who.items():
        response = getattr(client_for(user), method)(url, data or {})
        found[name] = response.status_code
    return found
