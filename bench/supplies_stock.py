"""On hand and days of cover of every item of one warehouse, at 10 000 and at 1 000 000
movements.

Issue 5 asks the warehouse's stock page figures (on hand, 7-day consumption, days of cover
for ~30 items) under 100 ms and independent of the ledger's length: on hand is read from
Stock (one row per item) and consumption from DailyIssue (one row per item and day), both
kept in the transaction of each movement. The ledger is built by bulk insert (COPY on
PostgreSQL, executemany on SQLite) with the matching Stock and DailyIssue rows, then grown.

    .venv/bin/python bench/supplies_stock.py
    .venv/bin/python bench/supplies_stock.py --database-url \
        postgres://postgres@127.0.0.1:5432/fk_bench_supplies

Printed: rows built, then per size the query count and the median of REPEAT runs of
`selectors.stock_rows` (the stock page) and `selectors.command_figures` (the dashboard's
supplies part), and the ratio of the two sizes.
"""

import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import arguments, bootstrap, district, machine  # noqa: E402

REPEAT = 15
ITEMS = 30
SIZES = (10_000, 1_000_000)
CHUNK = 100_000


class Ledger:
    """Writes movements in chunks and keeps the running balances and daily issue totals."""

    def __init__(self, warehouse, items, today, rng):
        self.warehouse = warehouse
        self.items = items
        self.today = today
        self.rng = rng
        self.balance = {item.pk: Decimal(0) for item in items}
        self.issued: dict[tuple[int, datetime.date], Decimal] = {}
        self.written = 0

    def grow(self, total: int) -> None:
        from fangkong.core.transfer import bulk
        from fangkong.supplies.models import Movement

        while self.written < total:
            count = min(CHUNK, total - self.written)
            rows = []
            # Spread over the last year, so both sizes have recent consumption.
            for n in range(count):
                index = self.written + n
                day = self.today - datetime.timedelta(days=index * 7919 % 365)
                item = self.items[index % len(self.items)].pk
                if index // len(self.items) % 3 == 0:
                    quantity = Decimal(self.rng.randint(200, 800))
                    kind = "purchase"
                else:
                    quantity = -Decimal(self.rng.randint(1, min(100, int(self.balance[item]))))
                    kind = "issue"
                    key = (item, day)
                    self.issued[key] = self.issued.get(key, Decimal(0)) - quantity
                self.balance[item] += quantity
                rows.append(
                    {
                        "warehouse_id": self.warehouse.pk,
                        "item_id": item,
                        "area_id": self.warehouse.area_id,
                        "kind": kind,
                        "quantity": quantity,
                        "balance_after": self.balance[item],
                        "document_type": "inbound" if kind == "purchase" else "outbound",
                        "document_id": index + 1,
                        "day": day,
                    }
                )
            bulk.insert(Movement, rows)
            self.written += count

    def settle(self) -> None:
        """Stock and DailyIssue as the services would have kept them."""
        from fangkong.core.db import analyze
        from fangkong.core.transfer import bulk
        from fangkong.supplies.models import DailyIssue, Movement, Stock

        Stock.objects.filter(warehouse=self.warehouse).delete()
        Stock.objects.bulk_create(
            Stock(
                warehouse=self.warehouse,
                item_id=pk,
                area_id=self.warehouse.area_id,
                on_hand=balance,
                low_threshold=Decimal(300),
            )
            for pk, balance in self.balance.items()
        )
        DailyIssue.objects.filter(warehouse=self.warehouse).delete()
        bulk.insert(
            DailyIssue,
            [
                {
                    "warehouse_id": self.warehouse.pk,
                    "item_id": item,
                    "area_id": self.warehouse.area_id,
                    "day": day,
                    "quantity": quantity,
                }
                for (item, day), quantity in self.issued.items()
            ],
        )
        analyze(Movement, Stock, DailyIssue)


def measure(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm the caches of the database
    timings = []
    for _n in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            call()
            timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, len(ctx.captured_queries)


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    label = bootstrap(args.database_url)
    from django.db import transaction
    from django.utils import timezone

    from fangkong.core.models import Area
    from fangkong.supplies import selectors, services
    from fangkong.supplies.models import Category, Item, Movement, Stock

    _user, _grids = district(towns=2, villages=3, grids=1)
    today = timezone.localdate()
    category = Category.objects.first()
    for n in range(ITEMS - Item.objects.count()):
        Item.objects.create(category=category, name=f"物资{n}", unit="个")
    items = list(Item.objects.order_by("pk")[:ITEMS])
    warehouse = services.warehouse_create(
        actor=None, area=Area.objects.get(code="370305"), name="区物资储备库"
    )
    ledger = Ledger(warehouse, items, today, random.Random(2020))
    print(f"{label}; {machine()}")
    print(f"one warehouse, {len(items)} items")
    results = {}
    for size in SIZES:
        started = time.perf_counter()
        with transaction.atomic():
            ledger.grow(size)
            ledger.settle()
        built = time.perf_counter() - started
        assert Movement.objects.count() == size
        for stock in Stock.objects.filter(warehouse=warehouse):
            assert stock.on_hand >= 0
        page_ms, page_queries = measure(lambda: selectors.stock_rows(warehouse=warehouse))
        rows = selectors.stock_rows(warehouse=warehouse)
        figures_ms, figures_queries = measure(
            lambda: selectors.command_figures(
                area_code="370305", date_from=today - datetime.timedelta(days=6), date_to=today
            )
        )
        results[size] = (page_ms, figures_ms)
        covered = sum(row["days_of_cover"] is not None for row in rows)
        print(
            f"{size:>9,} movements (built in {built:.1f} s): stock page {page_ms:.1f} ms "
            f"({page_queries} queries, {len(rows)} items, {covered} with days of cover); "
            f"command figures {figures_ms:.1f} ms ({figures_queries} queries)"
        )
    small, large = results[SIZES[0]], results[SIZES[-1]]
    print(
        f"ratio 1M/10k: stock page {large[0] / small[0]:.2f}, "
        f"command figures {large[1] / small[1]:.2f}"
    )


if __name__ == "__main__":
    main()
