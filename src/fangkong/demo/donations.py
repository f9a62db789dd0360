"""The donations demo: a dozen enterprises, organisations and individuals (some anonymous,
some not consenting to publish their names) giving money and goods to the district and its
towns over the last two weeks; goods received into the district reserve when the supplies
demo made one, and part of the money used.

Written through the services, like the supplies demo, so numbers, totals, stock and the
public page agree. Run after the supplies demo.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fangkong.core.models import Area
from fangkong.demo.names import SURNAMES
from fangkong.donations import services
from fangkong.donations.models import Donation, Donor
from fangkong.donations.validators import ALPHABET, make_credit_code
from fangkong.supplies import services as supplies_services
from fangkong.supplies.defaults import catalogue_seed
from fangkong.supplies.models import Category, Item, Stock, Warehouse

DISTRICT = "370305"
DAYS = 14
ENTERPRISES = [
    "齐鲁石化股份有限公司",
    "淄博临淄华兴医药有限公司",
    "山东金诚石化集团",
    "临淄区鲁中粮油贸易公司",
    "淄博齐翔腾达化工股份有限公司",
    "山东清源集团有限公司",
    "临淄稷下建工有限公司",
    "淄博大地食品有限公司",
    "山东天鑫纺织有限公司",
    "临淄区东方超市",
    "淄博瑞丰医疗器械有限公司",
    "山东齐都药业有限公司",
]
ORGANISATIONS = [
    "临淄区慈善总会",
    "临淄区红十字会",
    "临淄区工商业联合会",
    "淄博市山东商会",
    "临淄区青年企业家协会",
    "临淄区个体劳动者协会",
    "临淄区退役军人志愿服务队",
    "临淄区医师协会",
    "临淄区基督教两会",
    "临淄区佛教协会",
    "临淄区温州商会",
    "临淄区餐饮协会",
]
GIVEN = [
    "建国",
    "秀英",
    "国华",
    "丽",
    "强",
    "静",
    "伟",
    "敏",
    "磊",
    "娜",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
]
UNIT_VALUES = {
    "医用外科口罩": 1.5,
    "一次性口罩": 0.8,
    "N95口罩": 6,
    "防护服": 45,
    "医用酒精": 20,
    "84消毒液": 8,
    "测温枪": 180,
    "大米": 120,
    "食用油": 70,
    "蔬菜包": 50,
}
GOODS = list(UNIT_VALUES)
# Not in the reserve's purchases: every unit of them issued is a donated one.
LIVING_GOODS = ("大米", "食用油")
CHANNELS = ["bank", "bank", "bank", "wechat", "alipay", "red_cross", "charity", "cash"]
PURPOSES = ["慰问一线医护人员", "购买防护物资", "隔离点生活保障", "困难群众生活救助"]


def demo_donations_load(*, today: datetime.date | None = None, seed: int = 2020) -> int:
    """Load once (skipped when a donation exists). Returns how many donations were written."""
    if Donation.objects.exists():
        return 0
    district = Area.objects.filter(code=DISTRICT).first()
    if district is None:
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    with transaction.atomic():
        catalogue_seed(Category, Item)
        return _load(rng, today, district)


def _credit_code(rng, prefix: str) -> str:
    body = prefix + "370305" + "".join(rng.choice(ALPHABET) for _ in range(9))
    return make_credit_code(body)


def _donors(rng, district: Area) -> list[Donor]:
    donors = []
    for name in ENTERPRISES:
        donors.append(
            services.donor_create(
                actor=None,
                area=district,
                kind=Donor.Kind.ENTERPRISE,
                name=name,
                credit_code=_credit_code(rng, "91"),
                contact_name=rng.choice(list(SURNAMES)) + "经理",
                phone=f"139{rng.randrange(10**8):08d}",
                anonymous=rng.random() < 0.1,
            )
        )
    for name in ORGANISATIONS:
        donors.append(
            services.donor_create(
                actor=None,
                area=district,
                kind=Donor.Kind.ORGANISATION,
                name=name,
                credit_code=_credit_code(rng, "51"),
                contact_name=rng.choice(list(SURNAMES)) + rng.choice(GIVEN),
                phone=f"138{rng.randrange(10**8):08d}",
            )
        )
    surnames = list(SURNAMES)
    for n in range(12):
        donors.append(
            services.donor_create(
                actor=None,
                area=district,
                kind=Donor.Kind.INDIVIDUAL,
                name=rng.choice(surnames) + rng.choice(GIVEN),
                phone=f"137{rng.randrange(10**8):08d}",
                # Some give anonymously, some allow their names to be published.
                anonymous=n % 4 == 0,
                disclose_name=n % 3 == 1,
            )
        )
    return donors


def _load(rng, today: datetime.date, district: Area) -> int:
    donors = _donors(rng, district)
    towns = list(Area.objects.filter(parent=district, level=Area.Level.TOWN).order_by("code")[:4])
    items = {item.name: item for item in Item.objects.filter(name__in=GOODS, active=True)}
    store = Warehouse.objects.filter(area=district, active=True).order_by("pk").first()
    written = 0
    donations = []
    for donor in donors:
        for _ in range(rng.choice((1, 1, 2))):
            day = today - datetime.timedelta(days=rng.randrange(DAYS))
            area = district if not towns or rng.random() < 0.7 else rng.choice(towns)
            amount = None
            channel = ""
            if donor.kind == Donor.Kind.INDIVIDUAL:
                amount = Decimal(rng.choice((200, 500, 1000, 2000, 5000, 10000)))
                channel = rng.choice(("wechat", "alipay", "cash", "bank"))
            elif rng.random() < 0.7:
                amount = Decimal(rng.choice((10000, 20000, 50000, 100000, 200000, 500000)))
                channel = rng.choice(CHANNELS)
            lines = []
            if donor.kind != Donor.Kind.INDIVIDUAL and (amount is None or rng.random() < 0.5):
                for name in rng.sample(GOODS, rng.randint(1, 3)):
                    item = items.get(name)
                    if item is None:
                        continue
                    quantity = Decimal(rng.choice((10, 20, 50, 100, 500, 1000, 5000)))
                    lines.append(
                        {
                            "item": item,
                            "quantity": quantity,
                            "value": (quantity * Decimal(str(UNIT_VALUES[name]))).quantize(
                                Decimal("0.01")
                            ),
                        }
                    )
            if amount is None and not lines:
                amount, channel = Decimal(1000), "bank"
            designated = amount is not None and rng.random() < 0.3
            donation = services.donation_create(
                actor=None,
                area=area,
                donor=donor,
                received_on=day,
                amount=amount,
                channel=channel,
                designation="designated" if designated else "undesignated",
                purpose=rng.choice(PURPOSES) if designated else "",
                lines=lines,
            )
            donations.append(donation)
            written += 1
    for donation in donations:
        if donation.goods_lines and store is not None and donation.area_id == district.code:
            services.donation_goods_receive(actor=None, donation=donation, warehouse=store)
    if store is not None:
        _issue_living_goods(store, district)
    for donation in donations:
        if donation.amount >= 50000 and rng.random() < 0.5:
            services.disbursement_create(
                actor=None,
                donation=donation,
                amount=(donation.amount * Decimal("0.4")).quantize(Decimal("0.01")),
                purpose=donation.purpose or rng.choice(PURPOSES),
                paid_on=min(today, donation.received_on + datetime.timedelta(days=2)),
                approved_by="区疫情防控指挥部",
            )
    return written


def _issue_living_goods(store: Warehouse, district: Area) -> None:
    """Rice and oil came only from donors (the reserve buys none), so issuing some of them to
    villages for isolated households shows on the public page where donated goods went."""
    villages = list(
        Area.objects.filter(code__startswith=district.code, level=Area.Level.VILLAGE).order_by(
            "code"
        )[:3]
    )
    for stock in Stock.objects.filter(warehouse=store, item__name__in=LIVING_GOODS, on_hand__gt=0):
        share = (stock.on_hand * Decimal("0.2")).to_integral_value()
        if not share:
            continue
        for village in villages:
            supplies_services.issue_create(
                actor=None,
                warehouse=store,
                recipient_area=village,
                unit_name=village.name,
                unit_type="village",
                lines=[{"item": stock.item, "quantity": share}],
                note="居家隔离户生活保障",
            )
