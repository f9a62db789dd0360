"""Time the demo district's load into a throwaway database.

    .venv/bin/python bench/demo_load.py [PERSONS] [--database-url postgres://.../fk_bench]

PERSONS defaults to 20000 (the real district has about 612000). Prints persons/s, the peak
memory of the process and the database size.
"""

import argparse
import resource
import sys
import time
from pathlib import Path

from _setup import bootstrap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("persons", nargs="?", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of a database to create")
    parser.add_argument("--quiet", action="store_true", help="no per-batch progress lines")
    args = parser.parse_args()

    label = bootstrap(args.database_url)
    from django.conf import settings
    from django.db import connection

    from fangkong.demo.services import demo_load

    print(f"database: {label}")
    started = time.perf_counter()
    summary = demo_load(
        persons=args.persons, seed=args.seed, stdout=None if args.quiet else sys.stdout
    )
    total = time.perf_counter() - started
    print(
        f"{summary.persons} persons in {summary.households} households: "
        f"{summary.seconds:.1f} s = {summary.persons_per_second:,.0f} persons/s "
        f"(whole load with areas, grids and accounts: {total:.1f} s)"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if connection.vendor == "sqlite":
        size = Path(settings.DATABASES["default"]["NAME"]).stat().st_size
        wal = Path(str(settings.DATABASES["default"]["NAME"]) + "-wal")
        size += wal.stat().st_size if wal.exists() else 0
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    print(f"peak memory {peak_mb:.0f} MB, database {size / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
