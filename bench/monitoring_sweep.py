"""The "未报" sweep and the due-for-release list for 10 000 persons under management.

Issue 3 asks both to cost a constant number of queries and less than 200 ms. The district
(5 towns × 4 villages × 5 grids, one grid worker per grid) gets `--persons` key persons by
bulk insert: 60 % started 14 days ago (their period is over), the rest 5 days ago; most have
both slots of the last two days logged, some a fever or a missing slot; 70 % logged this
morning; a third of the finished close contacts have a negative test.

    .venv/bin/python bench/monitoring_sweep.py
    .venv/bin/python bench/monitoring_sweep.py --persons 10000 \
        --database-url postgres://postgres@127.0.0.1:5432/fk_bench_monitoring

Figures printed: per measured call, its query count and the median time of REPEAT runs
(the reminder sweep is measured on its first run, which writes, and on a repeat, which finds
everyone already reminded).
"""

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import arguments, bootstrap, district, machine  # noqa: E402

REPEAT = 15


def build(persons: int, grid_codes: list[str]) -> None:
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from fangkong.accounts.services import user_create

    # A hundred grid workers: a fast hasher, the benchmark is not about passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.contrib.auth.hashers import get_hashers

    get_hashers.cache_clear()
    from fangkong.core.db import analyze
    from fangkong.core.models import Area
    from fangkong.ledger.models import Category, KeyPerson
    from fangkong.monitoring.models import HealthLog, Sample
    from fangkong.people.models import Person

    today = timezone.localdate()
    now = timezone.now()
    other = Category.objects.get(code="other")
    close = Category.objects.get(code="close_contact")
    with transaction.atomic():
        for code in grid_codes:
            user_create(
                actor=None,
                username=f"g{code}",
                password="Bench-2020-pass!",
                scope=Area.objects.get(code=code),
                roles=["grid_worker"],
            )
        Person.objects.bulk_create(
            [
                Person(
                    area_id=grid_codes[i % len(grid_codes)],
                    name=f"居民{i}",
                    name_pinyin=f"jumin{i}",
                    id_number_hash=f"bench{i:012d}",
                )
                for i in range(persons)
            ],
            batch_size=2000,
        )
        person_ids = list(Person.objects.order_by("pk").values_list("pk", "area_id"))
        key_persons = []
        for i, (pk, area) in enumerate(person_ids):
            finished = i % 10 < 6
            start = today - datetime.timedelta(days=14 if finished else 5)
            category = close if i % 4 == 0 else other
            key_persons.append(
                KeyPerson(
                    person_id=pk,
                    area_id=area,
                    category=category,
                    measure=category.default_measure,
                    state=KeyPerson.State.MANAGED,
                    source=KeyPerson.Source.IMPORT,
                    period_start=start,
                    period_end=start + datetime.timedelta(days=13),
                    state_changed_at=now,
                )
            )
        KeyPerson.objects.bulk_create(key_persons, batch_size=2000)
        rows = list(KeyPerson.objects.order_by("pk").values_list("pk", "area_id", "period_end"))
        logs, samples = [], []
        for i, (pk, area, end) in enumerate(rows):
            for days in (1, 2):
                for slot in ("am", "pm"):
                    if i % 23 == 0 and days == 1 and slot == "pm":
                        continue  # a missed slot
                    temperature = "37.8" if i % 31 == 0 and days == 2 else "36.5"
                    logs.append(
                        HealthLog(
                            key_person_id=pk,
                            area_id=area,
                            date=today - datetime.timedelta(days=days),
                            slot=slot,
                            temperature=temperature,
                            via="staff",
                        )
                    )
            if i % 10 < 7:
                logs.append(
                    HealthLog(
                        key_person_id=pk,
                        area_id=area,
                        date=today,
                        slot="am",
                        temperature="36.4",
                        via="self",
                    )
                )
            if i % 4 == 0 and i % 3 == 0:
                samples.append(
                    Sample(
                        key_person_id=pk,
                        area_id=area,
                        sample_no=f"B{i:08d}",
                        sampled_on=end,
                        result=Sample.Result.NEGATIVE,
                        result_on=end,
                    )
                )
        HealthLog.objects.bulk_create(logs, batch_size=5000)
        Sample.objects.bulk_create(samples, batch_size=5000)
    analyze(Person, KeyPerson, HealthLog, Sample)


def measure(call, repeat: int = REPEAT) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = call()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, len(queries), result


def main() -> None:
    args = arguments(
        __doc__.splitlines()[0],
        persons=(10000, "key persons under management"),
    )
    label = bootstrap(args.database_url)
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fangkong.monitoring import selectors, services

    user, grid_codes = district()
    started = time.perf_counter()
    build(args.persons, grid_codes)
    print(f"{label}; {machine()}")
    print(f"built {args.persons} key persons in {time.perf_counter() - started:.1f} s")
    today = timezone.localdate()

    def missing_am():
        return list(
            services.missing_queryset(scope="370305", date=today, slot="am").values_list(
                "pk", "area_id"
            )
        )

    def missing_page():
        return list(selectors.missing_list(user=user, date=today, slot="am")[:50])

    def counts():
        return selectors.missing_counts(user=user, date=today)

    def due():
        return selectors.release_due_ids(user=user, today=today)

    def due_page():
        return selectors.keypersons_by_ids(selectors.release_due_ids(user=user, today=today)[:50])

    for name, call in (
        ("未报 sweep (am, whole district)", missing_am),
        ("未报 page (first 50 rows)", missing_page),
        ("未报 counts per slot", counts),
        ("due-for-release list (all ids)", due),
        ("due-for-release page (50 rows)", due_page),
    ):
        ms, queries, result = measure(call)
        size = len(result) if isinstance(result, list) else result
        print(f"{name:34s} {queries:2d} queries  {ms:8.1f} ms  ({size})")

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with transaction.atomic():
            reminded = services.missed_log_remind(date=today, slot="am")
        first = (time.perf_counter() - started) * 1000
    print(
        f"{'reminders, first run':34s} {len(queries):2d} queries  {first:8.1f} ms  "
        f"({reminded} persons)"
    )
    ms, count, reminded = measure(lambda: services.missed_log_remind(date=today, slot="am"))
    print(f"{'reminders, repeat (idempotent)':34s} {count:2d} queries  {ms:8.1f} ms  ({reminded})")


if __name__ == "__main__":
    main()
