"""The public disclosure page (捐赠公示) and the command's donation figures at 500 and 5 000
donations.

The page sums every donation of the district in the database and shows the table a page at
a time, so its cost should hardly grow with their number; the workbook holds every donation
and grows with them. This measures both. The command's figures are four
aggregate queries and should hardly grow. Donations are bulk-inserted with two goods lines
each; one donation in three is money only.

    .venv/bin/python bench/donations_public.py
    .venv/bin/python bench/donations_public.py --database-url \
        postgres://postgres@127.0.0.1:5432/fk_bench_donations

Printed per size: the query count and the median of REPEAT runs of the page (the view, its
first page of PAGE_SIZE donations), of its workbook (every donation), and of
`selectors.command_figures`.
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

REPEAT = 7
SIZES = (500, 5_000)
KINDS = ("enterprise", "organisation", "individual")


def grow(total, written, donors, items, today, rng) -> None:
    from fangkong.donations.models import Donation, DonationLine

    donations = []
    for n in range(written, total):
        money = n % 3 != 2
        goods = n % 3 != 0
        donations.append(
            Donation(
                area_id="370305",
                donor=donors[n % len(donors)],
                year=today.year,
                sequence=n + 1,
                number=f"临捐〔{today.year}〕{n + 1}号",
                received_on=today - datetime.timedelta(days=n % 60),
                amount=Decimal(rng.choice((500, 1000, 10000, 50000))) if money else Decimal(0),
                channel=rng.choice(("bank", "wechat", "alipay")) if money else "",
                goods_value=Decimal(300) if goods else Decimal(0),
                goods_lines=2 if goods else 0,
            )
        )
    Donation.objects.bulk_create(donations, batch_size=1000)
    created = Donation.objects.filter(sequence__gt=written, goods_lines=2)
    DonationLine.objects.bulk_create(
        [
            DonationLine(
                donation_id=pk,
                area_id="370305",
                item=items[(pk + k) % len(items)],
                quantity=Decimal(100),
                value=Decimal(150),
            )
            for pk in created.values_list("pk", flat=True)
            for k in range(2)
        ],
        batch_size=2000,
    )


def measure(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
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
    from django.test import RequestFactory
    from django.utils import timezone

    from fangkong.core.db import analyze
    from fangkong.donations import public, selectors
    from fangkong.donations.models import Donation, DonationLine, Donor
    from fangkong.supplies.defaults import catalogue_seed
    from fangkong.supplies.models import Category, Item

    district(towns=2, villages=2, grids=1)
    catalogue_seed(Category, Item)
    items = list(Item.objects.order_by("pk"))
    rng = random.Random(2020)
    today = timezone.localdate()
    donors = Donor.objects.bulk_create(
        Donor(area_id="370305", kind=KINDS[n % 3], name=f"捐赠方{n}", disclose_name=n % 2 == 0)
        for n in range(300)
    )

    factory = RequestFactory()

    def page():
        return public.public_page(factory.get("/"), district_code="370305").content.decode()

    def figures():
        return selectors.command_figures(
            area_code="370305", date_from=today - datetime.timedelta(days=6), date_to=today
        )

    print(f"{label}; {machine()}")
    written = 0
    results = {}
    for size in SIZES:
        with transaction.atomic():
            grow(size, written, donors, items, today, rng)
        written = size
        analyze(Donation, DonationLine)
        page_ms, page_queries = measure(page)
        export_ms, _queries = measure(
            lambda: public.public_export(factory.get("/"), district_code="370305")
        )
        figures_ms, figures_queries = measure(figures)
        results[size] = (page_ms, figures_ms)
        kb = len(page().encode()) / 1024
        print(
            f"{size:>6} donations: public page {page_ms:7.1f} ms ({page_queries} queries, "
            f"{kb:.0f} KB); workbook of all {export_ms:.1f} ms; "
            f"command figures {figures_ms:6.1f} ms ({figures_queries} queries)"
        )
    small, large = (results[s] for s in SIZES)
    print(
        f"growth ×{SIZES[1] // SIZES[0]} donations: page ×{large[0] / small[0]:.1f}, "
        f"figures ×{large[1] / small[1]:.1f}"
    )


if __name__ == "__main__":
    main()
