"""The closed loop of the demo district, written through the same services the pages call.

Checkpoints at the district's real entrances, three weeks of vehicle registrations (returning
residents and travellers from other provinces, a few fevers, some turned back), the pushes
those created — received, answered or still waiting today — the key persons' health logs of
the last days, a release or two, and an isolation site with guests. Everything is dated
relative to `today`, so the demo looks live on the day it is loaded.
"""

import datetime
import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.checkpoints.models import Checkpoint, Outcome, VehicleCheck
from fangkong.checkpoints.services import checkpoint_create, parse_shifts, vehicle_register
from fangkong.core import pii
from fangkong.core.models import Area
from fangkong.demo.generator import Population
from fangkong.demo.names import SURNAMES
from fangkong.isolation.services import room_create, site_create, stay_check_in
from fangkong.ledger.models import Category, KeyPerson, Push
from fangkong.ledger.services import push_answer, push_receive
from fangkong.monitoring.services import healthlog_record, release_check, release_confirm
from fangkong.people.models import Person

SHIFTS = "早班 08:00-16:00\n中班 16:00-24:00\n夜班 00:00-08:00"
# (town, name, level, kind, location): the district's 2020 checkpoints, by road.
CHECKPOINTS = [
    ("370305107", "青银高速金岭收费站卡口", 1, "highway_exit", "G20青银高速金岭出口"),
    ("370305003", "滨莱高速临淄收费站卡口", 1, "highway_exit", "S29滨莱高速临淄出口"),
    ("370305102", "G309国道皇城卡口", 1, "national_road", "G309国道与皇城交界处"),
    ("370305104", "S231省道朱台卡口", 1, "national_road", "S231省道朱台段"),
    ("370305003", "临淄火车站卡口", 1, "railway_station", "胶济铁路临淄站出站口"),
    ("370305100", "齐都镇淄河大桥卡口", 2, "road", "淄河大桥西桥头"),
    ("370305109", "凤凰镇东外环卡口", 2, "road", "东外环与凤凰路路口"),
    ("370305111", "金山镇南部山区卡口", 2, "road", "金山镇政府驻地南"),
]
# Where travellers come from: (region code, place) for other provinces, weighted.
ORIGINS = [
    ("420106", "湖北省武汉市武昌区", 2),
    ("420102", "湖北省武汉市江岸区", 1),
    ("421002", "湖北省荆州市沙市区", 1),
    ("110105", "北京市朝阳区", 3),
    ("310115", "上海市浦东新区", 3),
    ("440305", "广东省深圳市南山区", 2),
    ("330106", "浙江省杭州市西湖区", 2),
    ("320583", "江苏省苏州市昆山市", 2),
    ("130102", "河北省石家庄市长安区", 2),
    ("370102", "山东省济南市历下区", 8),
    ("370202", "山东省青岛市市南区", 6),
    ("370303", "山东省淄博市张店区", 12),
    ("370705", "山东省潍坊市奎文区", 5),
]
PROVINCE_PLATES = {"42": "鄂A", "11": "京N", "31": "沪A", "44": "粤B", "33": "浙A", "32": "苏E",
                   "13": "冀A", "37": "鲁C"}  # fmt: skip
SURNAME_LIST, SURNAME_WEIGHTS = list(SURNAMES), list(SURNAMES.values())
PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class LoopSummary:
    checkpoints: int = 0
    vehicles: int = 0
    registrations: int = 0
    pushes: int = 0
    received: int = 0
    key_persons: int = 0
    health_logs: int = 0
    released: int = 0


def demo_loop_load(
    *, today: datetime.date | None = None, seed: int = 2020, days: int = 20, per_day: int = 24
) -> LoopSummary:
    """Load the loop's demo data (once: skipped when checkpoints exist)."""
    summary = LoopSummary()
    if Checkpoint.objects.exists():
        return summary
    today = today or timezone.localdate()
    rng = random.Random(seed)
    checkpoints = _checkpoints()
    summary.checkpoints = len(checkpoints)
    villages = list(Area.objects.within("370305").filter(level=Area.Level.GRID))
    # The demo village account's grids get a share of the travellers, so its 待接收 list and
    # health logs are never empty whichever village the random draw favours.
    home_grids = [grid for grid in villages if grid.code.startswith(_demo_village_code(villages))]
    residents = list(
        Person.objects.exclude(id_number_encrypted="").order_by("?")[: days * per_day]
        if villages
        else []
    )
    population = Population(seed=seed + 1, reference=today.replace(month=1, day=1))
    for offset in range(days, -1, -1):
        day = today - datetime.timedelta(days=offset)
        for _n in range(per_day if offset else per_day // 3):
            checkpoint = rng.choice(checkpoints)
            moment = _moment(rng, day, latest=timezone.now() if not offset else None)
            occupants = _occupants(
                rng, population, residents, home_grids if rng.random() < 0.2 else villages
            )
            plate = _plate(rng, occupants[0]["origin_region"])
            try:
                vehicle = vehicle_register(
                    actor=None,
                    checkpoint=checkpoint,
                    plate=plate,
                    vehicle_kind=VehicleCheck.VehicleKind.CAR,
                    occupants=occupants,
                    checked_at=moment,
                )
            except ValidationError:
                # A generated plate or person the checks refuse: skip it, as staff would.
                continue
            summary.vehicles += 1
            summary.registrations += vehicle.occupants.count()
    _handle_pushes(rng, today, summary)
    _health_logs(rng, today, summary)
    _isolation(rng)
    summary.pushes = Push.objects.count()
    summary.key_persons = KeyPerson.objects.count()
    return summary


def _demo_village_code(grids: list[Area]) -> str:
    # The first village of 辛店街道, as demo.services gives the "village" account.
    codes = sorted(grid.parent_id for grid in grids if grid.code.startswith("370305003"))
    return codes[0] if codes else "370305003001"


def _checkpoints() -> list[Checkpoint]:
    staff = list(User.objects.filter(groups__name="checkpoint_staff"))
    made = []
    for town, name, level, kind, location in CHECKPOINTS:
        area = Area.objects.filter(code=town).first()
        if area is None:
            continue
        made.append(
            checkpoint_create(
                actor=None,
                area=area,
                name=name,
                level=level,
                kind=kind,
                location=location,
                staff=[u for u in staff if u.scope_id and town.startswith(u.scope_id)],
                shifts=parse_shifts(SHIFTS),
            )
        )
    return made


def _moment(rng, day: datetime.date, latest=None) -> datetime.datetime:
    moment = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randrange(6, 22), rng.randrange(60)))
    )
    if latest is not None and moment > latest:
        moment = latest - datetime.timedelta(minutes=rng.randrange(5, 120))
    return moment


def _occupants(rng, population: Population, residents: list, grids: list) -> list[dict]:
    count = rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0]
    region, place, _w = rng.choices(ORIGINS, weights=[o[2] for o in ORIGINS])[0]
    occupants = []
    for index in range(count):
        resident = residents.pop() if residents and rng.random() < 0.5 else None
        if resident is not None:
            name = resident.name
            id_number = pii.decrypt(resident.id_number_encrypted)
            phone = pii.decrypt(resident.phone_encrypted) if resident.phone_encrypted else ""
            destination = resident.area_id
        else:
            sex = rng.choice("MF")
            birth = population.birth_date(rng.randrange(18, 70))
            id_number, _birth = population.id_number(region, birth, sex)
            surname = rng.choices(SURNAME_LIST, weights=SURNAME_WEIGHTS)[0]
            name = surname + population.given_name(sex, birth.year)
            phone = population.phone()
            destination = rng.choice(grids).code if grids else ""
        fever = rng.random() < 0.01
        temperature = rng.choice([37.6, 38.1]) if fever else 36 + rng.randrange(10) / 10
        turned_back = not fever and rng.random() < 0.04
        outside = rng.random() < 0.08
        occupants.append(
            {
                "name": name,
                "id_number": id_number,
                "phone": phone,
                "is_driver": index == 0,
                "origin": place,
                "origin_region": region,
                "travel_history": place,
                "from_risk_area": region.startswith("42"),
                "case_contact": False,
                "temperature": f"{temperature:.1f}",
                "notice_given": True,
                "destination_area": "" if outside else destination,
                "destination_address": "山东省青岛市黄岛区长江中路" if outside else "",
                "outcome": Outcome.TURNED_BACK if turned_back else Outcome.PASS,
                "flagged": False,
                "note": "",
            }
        )
    return occupants


def _plate(rng, region: str) -> str:
    prefix = PROVINCE_PLATES.get(region[:2], "鲁C")
    if region.startswith("3701"):
        prefix = "鲁A"
    elif region.startswith("3702"):
        prefix = "鲁B"
    elif region.startswith("3707"):
        prefix = "鲁G"
    return prefix + "".join(rng.choice(PLATE_CHARS) for _ in range(5))


def _handle_pushes(rng, today: datetime.date, summary: LoopSummary) -> None:
    """Yesterday's and older pushes: most received, a few answered; today's wait."""
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    pending = Push.objects.filter(state=Push.State.PENDING, created_at__lt=start_of_today)
    categories = {c.code: c for c in Category.objects.all()}
    # Pushes are created "now"; date them by the registration's arrival instead.
    for push in Push.objects.filter(state=Push.State.PENDING).order_by("arrived_at"):
        Push.objects.filter(pk=push.pk).update(created_at=push.arrived_at)
    for push in pending.order_by("arrived_at"):
        roll = rng.random()
        try:
            if roll < 0.04:
                push_answer(
                    actor=None,
                    push=push,
                    answer=Push.Answer.NOT_FOUND,
                    reason="按登记地址上门核查，无此人，电话未接通",
                )
            elif roll < 0.97:
                with transaction.atomic():
                    push_receive(
                        actor=None,
                        push=push,
                        category=categories.get(
                            "hubei" if push.origin_region.startswith("42") else "other_province"
                        ),
                    )
                summary.received += 1
        except ValidationError:
            continue


def _slot_time(day: datetime.date, slot: str) -> datetime.datetime:
    hour = 8 if slot == "am" else 15
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _health_logs(rng, today: datetime.date, summary: LoopSummary) -> None:
    """Both slots of the last three days for persons under management; today's morning for
    most, so the 未报 list has a few names."""
    now = timezone.now()
    managed = KeyPerson.objects.filter(state=KeyPerson.State.MANAGED).select_related("category")
    for key_person in managed:
        for back in (3, 2, 1, 0):
            day = today - datetime.timedelta(days=back)
            if day < key_person.period_start:
                continue
            for slot in ("am", "pm"):
                moment = _slot_time(day, slot)
                if moment > now or (back == 0 and rng.random() < 0.15):
                    continue
                fever = rng.random() < 0.003
                try:
                    healthlog_record(
                        actor=None,
                        key_person=key_person,
                        slot=slot,
                        temperature=f"{37.8 if fever else 36 + rng.randrange(9) / 10:.1f}",
                        date=day,
                        now=moment,
                    )
                    summary.health_logs += 1
                except ValidationError:
                    break
    for key_person in managed.filter(period_end__lt=today):
        if not release_check(key_person=key_person, today=today) and rng.random() < 0.5:
            release_confirm(actor=None, key_person=key_person, today=today)
            summary.released += 1


def _isolation(rng) -> None:
    town = Area.objects.filter(code="370305003").first()
    if town is None:
        return
    site = site_create(
        actor=None,
        area=town,
        name="临淄区集中隔离观察点（齐都宾馆）",
        address="临淄区辛店街道桓公路北首",
        contact_name="王建国",
        contact_phone="0533-7188001",
    )
    rooms = [room_create(actor=None, site=site, number=f"{200 + n}", beds=1) for n in range(1, 31)]
    contacts = KeyPerson.objects.filter(state=KeyPerson.State.MANAGED, category__code="hubei")[:8]
    for key_person, room in zip(contacts, rooms, strict=False):
        try:
            stay_check_in(actor=None, key_person=key_person, site=site, room=room)
        except ValidationError:
            continue
