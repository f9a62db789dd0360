"""The supplies demo: a district reserve and a warehouse per town, two weeks of purchases,
allocations from the city and issues to villages and checkpoints, a donation, thresholds
and a few requests, so the stock page, days of cover and the dashboard have something to show.

Written through the services, as the storekeepers would have, so the ledger, lots and daily
totals agree; dates are back-dated by the services' `day`.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.core.models import Area
from fangkong.supplies import services
from fangkong.supplies.defaults import catalogue_seed
from fangkong.supplies.models import Category, Item, Stock, Warehouse

DISTRICT = "370305"
DAYS = 14
# Item name -> (district opening stock, town opening stock, typical daily issue to one unit).
PLAN = {
    "一次性口罩": (120000, 8000, 300),
    "医用外科口罩": (40000, 3000, 120),
    "N95口罩": (6000, 400, 20),
    "医用手套": (20000, 1500, 60),
    "护目镜": (1500, 100, 4),
    "防护服": (3000, 150, 6),
    "隔离衣": (2000, 120, 4),
    "84消毒液": (5000, 300, 12),
    "医用酒精": (2000, 120, 5),
    "测温枪": (300, 20, 1),
    "额温枪电池": (2000, 150, 6),
    "蔬菜包": (800, 60, 4),
}
UNIT_TYPES = ("village", "checkpoint")


def demo_supplies_load(*, today: datetime.date | None = None, seed: int = 2020) -> int:
    """Load once (skipped when a warehouse exists). Returns how many documents were written."""
    if Warehouse.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    with transaction.atomic():
        catalogue_seed(Category, Item)
        return _load(rng, today)


def _load(rng, today: datetime.date) -> int:
    district = Area.objects.filter(code=DISTRICT).first()
    if district is None:
        return 0
    items = {item.name: item for item in Item.objects.filter(name__in=PLAN)}
    towns = list(Area.objects.filter(parent=district, level=Area.Level.TOWN).order_by("code"))
    villages = {
        town.code: list(
            Area.objects.filter(parent=town, level=Area.Level.VILLAGE).order_by("code")[:6]
        )
        for town in towns
    }
    start = today - datetime.timedelta(days=DAYS)
    written = 0
    reserve = services.warehouse_create(
        actor=None,
        area=district,
        name="临淄区防疫物资储备库",
        keeper="区应急管理局",
        address="临淄区桓公路",
    )
    stores = [
        services.warehouse_create(
            actor=None, area=town, name=f"{town.name}物资库", keeper=f"{town.name}党政办"
        )
        for town in towns
    ]
    services.inbound_create(
        actor=None,
        warehouse=reserve,
        kind="allocation",
        supplier="淄博市应急管理局",
        document_no="淄应急〔2020〕8号",
        day=start,
        lines=[{"item": items[name], "quantity": plan[0] // 2} for name, plan in PLAN.items()],
    )
    services.inbound_create(
        actor=None,
        warehouse=reserve,
        kind="purchase",
        supplier="淄博鲁中医药有限公司",
        invoice_no="37002012345",
        day=start,
        lines=[
            {"item": items[name], "quantity": plan[0] - plan[0] // 2, "unit_price": None}
            for name, plan in PLAN.items()
        ],
    )
    written += 2
    for name, plan in PLAN.items():
        services.threshold_set(
            actor=None, warehouse=reserve, item=items[name], threshold=plan[2] * 40
        )
    for store in stores:
        services.transfer_create(
            actor=None,
            warehouse=reserve,
            to_warehouse=store,
            day=start,
            lines=[{"item": items[name], "quantity": plan[1]} for name, plan in PLAN.items()],
        )
        for name, plan in PLAN.items():
            services.threshold_set(
                actor=None, warehouse=store, item=items[name], threshold=plan[2] * 5
            )
        written += 1
    services.inbound_create(
        actor=None,
        warehouse=reserve,
        kind="donation",
        supplier="爱心企业",
        note="社会捐赠",
        day=start + datetime.timedelta(days=3),
        lines=[
            {"item": items["一次性口罩"], "quantity": 20000},
            {"item": items["84消毒液"], "quantity": 500},
        ],
    )
    written += 1
    for offset in range(DAYS + 1):
        day = start + datetime.timedelta(days=offset)
        for store in stores:
            units = villages.get(store.area_id) or []
            for unit in rng.sample(units, min(2, len(units))):
                written += _issue(rng, store, unit, items, day)
        if offset % 3 == 0 and towns:
            town = towns[offset % len(towns)]
            written += _issue(rng, reserve, town, items, day, unit_type="town")
    written += _requests(rng, items, villages, towns)
    return written


def _issue(rng, store, unit, items, day, unit_type: str = "") -> int:
    kind = unit_type or rng.choice(UNIT_TYPES)
    names = rng.sample(list(PLAN), 4)
    lines = []
    for name in names:
        stock = Stock.objects.filter(warehouse=store, item=items[name]).first()
        quantity = max(1, int(PLAN[name][2] * rng.uniform(0.5, 1.5)))
        if unit_type:
            quantity *= 10
        if stock is not None and stock.on_hand >= quantity:
            lines.append({"item": items[name], "quantity": quantity})
    if not lines:
        return 0
    services.issue_create(
        actor=None,
        warehouse=store,
        recipient_area=unit,
        unit_name=f"{unit.name}卡口" if kind == "checkpoint" else unit.name,
        unit_type=kind,
        lines=lines,
        receiver_name=rng.choice(["王建国", "李春梅", "张立新", "刘海燕", "陈志强"]),
        day=day,
    )
    return 1


def _requests(rng, items, villages, towns) -> int:
    staff = User.objects.filter(groups__name="village_staff", is_active=True).first()
    written = 0
    asking = [staff.scope] if staff is not None and staff.scope else []
    for town in towns[:2]:
        asking += villages.get(town.code, [])[:1]
    for area in asking[:3]:
        services.request_create(
            actor=staff if staff is not None and staff.scope_id == area.code else None,
            area=area,
            unit_type="village",
            purpose="卡口和入户排查值守人员防护用品",
            lines=[
                {"item": items["一次性口罩"], "quantity": 500},
                {"item": items["84消毒液"], "quantity": 20},
            ],
        )
        written += 1
    return written
