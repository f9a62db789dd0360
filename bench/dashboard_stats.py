"""The command's figures (dashboard data endpoint and `fangkong stats`) for a district.

Issue 4 asks under 500 ms on SQLite and PostgreSQL and a query count independent of the data
size for a district with 600 000 persons, 236 000 checkpoint registrations and 90 days of
daily reports from 1 200 grids. Built by bulk insert (12 towns × 100 villages × 1 grid, each
village a reporting unit): persons, 24 checkpoints with 118 000 vehicles of two occupants over
90 days, 30 000 pushes and key persons, two days of health logs, alerts, 108 000 reports.

    .venv/bin/python bench/dashboard_stats.py
    .venv/bin/python bench/dashboard_stats.py --scale 0.1     # a tenth of the data
    .venv/bin/python bench/dashboard_stats.py \
        --database-url postgres://postgres@127.0.0.1:5432/fk_bench_command

Printed: rows built, then per call its query count and the median of REPEAT runs. Run with
--scale 0.1 and 1 to see that the query count does not move.
"""

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import arguments, bootstrap, district, machine  # noqa: E402

REPEAT = 7
DAYS = 90


def build(scale: float, grid_codes: list[str]) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from fangkong.checkpoints.models import Checkpoint, Registration, VehicleCheck
    from fangkong.core.db import analyze
    from fangkong.ledger.models import Category, KeyPerson, Push
    from fangkong.monitoring.models import Alert, HealthLog
    from fangkong.people.models import Person
    from fangkong.reporting.models import DailyReport

    today = timezone.localdate()
    now = timezone.now()
    first = today - datetime.timedelta(days=DAYS - 1)
    towns = sorted({code[:9] for code in grid_codes})
    villages = sorted({code[:12] for code in grid_codes})
    n_persons, n_vehicles, n_keys = int(600_000 * scale), int(118_000 * scale), int(30_000 * scale)
    built = {}
    with transaction.atomic():
        for start in range(0, n_persons, 50_000):
            Person.objects.bulk_create(
                [
                    Person(
                        area_id=grid_codes[i % len(grid_codes)],
                        name=f"居民{i}",
                        name_pinyin=f"jumin{i}",
                        id_number_hash=f"bench{i:012d}",
                    )
                    for i in range(start, min(start + 50_000, n_persons))
                ],
                batch_size=5000,
            )
        built["persons"] = n_persons
        points = Checkpoint.objects.bulk_create(
            [
                Checkpoint(area_id=town, name=f"{town}卡口{k}", level=2, kind="road")
                for town in towns
                for k in (1, 2)
            ]
        )
        vehicles = [
            VehicleCheck(
                checkpoint_id=points[i % len(points)].pk,
                area_id=points[i % len(points)].area_id,
                checked_at=now,
                duty_date=first + datetime.timedelta(days=i % DAYS),
                vehicle_kind="car",
                plate=f"鲁C{i:05d}"[:10],
                turned_back=i % 31 == 0,
            )
            for i in range(n_vehicles)
        ]
        VehicleCheck.objects.bulk_create(vehicles, batch_size=5000)
        rows = VehicleCheck.objects.values_list("pk", "area_id", "turned_back").order_by("pk")
        registrations = []
        for i, (pk, area, back) in enumerate(rows.iterator(chunk_size=10_000)):
            for seat in (0, 1):
                registrations.append(
                    Registration(
                        vehicle_id=pk,
                        area_id=area,
                        checked_at=now,
                        is_driver=seat == 0,
                        name="旅客",
                        origin="湖北省武汉市",
                        temperature="37.6" if i % 97 == 0 else "36.5",
                        outcome="turned_back"
                        if back
                        else ("fever_referral" if i % 97 == 0 else "pass"),
                        pushed=i % 8 == 0,
                    )
                )
            if len(registrations) >= 20_000:
                Registration.objects.bulk_create(registrations, batch_size=5000)
                registrations = []
        Registration.objects.bulk_create(registrations, batch_size=5000)
        built["registrations"] = 2 * n_vehicles
        category = Category.objects.order_by("pk").first()
        person_rows = list(Person.objects.order_by("pk").values_list("pk", "area_id")[:n_keys])
        pushes = Push.objects.bulk_create(
            [
                Push(
                    area_id=area,
                    source="checkpoint",
                    name="旅客",
                    arrived_at=now,
                    state="received" if i % 20 else "pending",
                )
                for i, (_pk, area) in enumerate(person_rows)
            ],
            batch_size=5000,
        )
        # auto_now_add: spread the pushes over the 90 days afterwards.
        keys = []
        for i, ((pk, area), _push) in enumerate(zip(person_rows, pushes, strict=True)):
            start = first + datetime.timedelta(days=i % DAYS)
            released = start + datetime.timedelta(days=14)
            done = released < today
            keys.append(
                KeyPerson(
                    person_id=pk,
                    area_id=area,
                    category=category,
                    measure=category.default_measure,
                    state="released" if done else "managed",
                    source="checkpoint",
                    period_start=start,
                    period_end=start + datetime.timedelta(days=13),
                    released_on=released if done else None,
                    state_changed_at=now,
                )
            )
        KeyPerson.objects.bulk_create(keys, batch_size=5000)
        built["key persons"] = n_keys
        managed = KeyPerson.objects.filter(state="managed").values_list("pk", "area_id")
        logs = [
            HealthLog(
                key_person_id=pk,
                area_id=area,
                date=today - datetime.timedelta(days=d),
                slot=slot,
                temperature="36.5",
                via="import",
            )  # fmt: skip
            for pk, area in managed
            for d in (0, 1)
            for slot in ("am", "pm")
            if not (d == 0 and pk % 7 == 0)
        ]
        HealthLog.objects.bulk_create(logs, batch_size=5000)
        built["health logs"] = len(logs)
        Alert.objects.bulk_create(
            [
                Alert(
                    area_id=grid_codes[i % len(grid_codes)],
                    kind="fever",
                    level=2,
                    state="open" if i % 3 else "closed",
                    subject_name="某",
                )  # fmt: skip
                for i in range(int(3000 * scale))
            ],
            batch_size=5000,
        )
        reports = [
            DailyReport(
                area_id=village,
                date=first + datetime.timedelta(days=d),
                status="submitted",
                is_zero=(d + v) % 5 == 0,
                submitted_at=now,
                late=(d + v) % 11 == 0,
            )
            for d in range(DAYS)
            for v, village in enumerate(villages)
            if (d + v) % 17
        ]
        DailyReport.objects.bulk_create(reports, batch_size=5000)
        built["daily reports"] = len(reports)
    spread(first)
    analyze(Person, VehicleCheck, Registration, Push, KeyPerson, HealthLog, Alert, DailyReport)
    return built


def spread(first: datetime.date) -> None:
    """Give vehicles and pushes the moment they were recorded on their day (bulk_create stamps
    auto_now_add with now): what the aggregation job settles by."""
    from django.db import transaction
    from django.db.models import F

    from fangkong.checkpoints.models import Registration, VehicleCheck
    from fangkong.command.selectors import day_start
    from fangkong.ledger.models import Push

    noon = datetime.timedelta(hours=12)
    with transaction.atomic():
        for d in range(DAYS):
            day = first + datetime.timedelta(days=d)
            moment = day_start(day) + noon
            VehicleCheck.objects.filter(duty_date=day).update(checked_at=moment, created_at=moment)
            Registration.objects.filter(vehicle__duty_date=day).update(checked_at=moment)
            Push.objects.annotate(slot=F("id") % DAYS).filter(slot=d).update(
                created_at=moment, arrived_at=moment
            )


def measure(call, repeat: int = REPEAT):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm the caches of the database
    timings = []
    for _n in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            call()
            timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, len(ctx.captured_queries)


def main() -> None:
    args = arguments(__doc__.splitlines()[0], scale=(1.0, "fraction of the district's data"))
    label = bootstrap(args.database_url)
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from fangkong.accounts.services import user_create
    from fangkong.command.selectors import figures
    from fangkong.core.models import Area

    _user, grid_codes = district(towns=12, villages=100, grids=1)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    built = build(args.scale, grid_codes)
    print(f"{label}; {machine()}")
    print(
        f"built in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{v} {k}" for k, v in built.items())
    )
    commander = user_create(
        actor=None,
        username="bench_command",
        password="Fk-bench-2020!",
        scope=Area.objects.get(code="370305"),
        roles=["command"],
        full_name="指挥部",
    )
    client = Client()
    client.force_login(commander)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=13)

    def day():
        return figures(area_code="370305", date_from=today, date_to=today)

    def fortnight():
        return figures(area_code="370305", date_from=start, date_to=today)

    def quarter():
        return figures(area_code="370305", date_from=today - datetime.timedelta(days=DAYS - 1),
                       date_to=today)  # fmt: skip

    def town():
        return figures(area_code="370305001", date_from=start, date_to=today)

    def endpoint():
        response = client.get("/command/dashboard/data/")
        assert response.status_code == 200, response.status_code
        return response

    from fangkong.command.services import figures_aggregate

    started = time.perf_counter()
    rows = sum(figures_aggregate().values())
    print(f"figures_aggregate (90 closed days, first run): {rows} DailyFigure rows in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    started = time.perf_counter()
    figures_aggregate()
    print(f"figures_aggregate again (nothing new): {(time.perf_counter() - started) * 1000:.0f} ms")
    results = {}
    for name, call in (
        ("figures() district, one day (stats --date)", day),
        ("figures() district, 14 days", fortnight),
        ("figures() district, 90 days", quarter),
        ("figures() one town, 14 days", town),
        ("dashboard data endpoint (14 days)", endpoint),
    ):
        results[name] = report(name, call)

    started = time.perf_counter()
    villages = province()
    figures_aggregate(rebuild=True)
    print(f"province: {villages} villages in all, areas built and re-aggregated in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip

    def province_fortnight():
        return figures(area_code="37", date_from=start, date_to=today)

    def province_quarter():
        return figures(area_code="37", date_from=today - datetime.timedelta(days=DAYS - 1),
                       date_to=today)  # fmt: skip

    for name, call, district_name in (
        ("figures() province, 14 days", province_fortnight, "figures() district, 14 days"),
        ("figures() province, 90 days", province_quarter, "figures() district, 90 days"),
    ):
        ms, _queries = report(name, call)
        print(f"{'':44s} growth ratio province / district: {ms / results[district_name][0]:.2f}")


def report(name, call):
    ms, queries = measure(call)
    flag = "" if ms < 500 else "  OVER 500 ms"
    print(f"{name:44s} {queries:2d} queries  {ms:8.1f} ms{flag}")
    return ms, queries


def province(villages: int = 60_000) -> int:
    """The rest of the province: cities, districts, towns and villages (reporting units)
    around the bench's district until it holds `villages` villages."""
    from fangkong.core.db import analyze
    from fangkong.core.models import Area

    level = Area.Level
    have = Area.objects.filter(level=level.VILLAGE).count()
    rows, made = [], 0
    for c in range(1, 18):
        city = f"37{c:02d}"
        if city != "3703":
            rows.append(Area(code=city, name=f"{c}市", level=level.CITY, parent_id="37"))
        for d in range(1, 6):
            district = f"{city}{d + 10:02d}"
            rows.append(Area(code=district, name=f"{c}-{d}区", level=level.COUNTY, parent_id=city))
            for t in range(1, 11):
                town = f"{district}{t:03d}"
                rows.append(Area(code=town, name=f"{c}-{d}-{t}镇", level=level.TOWN,
                                 parent_id=district))  # fmt: skip
                for v in range(1, 121):
                    if have + made >= villages:
                        break
                    rows.append(Area(code=f"{town}{v:03d}", name=f"{c}-{d}-{t}-{v}村",
                                     level=level.VILLAGE, parent_id=town))  # fmt: skip
                    made += 1
    Area.objects.bulk_create(rows, batch_size=5000)
    analyze(Area)
    return have + made


if __name__ == "__main__":
    main()
