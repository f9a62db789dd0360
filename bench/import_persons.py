"""Import persons workbooks of 10 000 and 100 000 rows; print rows/s and how time grows.

    .venv/bin/python bench/import_persons.py
    .venv/bin/python bench/import_persons.py --database-url postgres://postgres@127.0.0.1:5432/fk_bench

Each run uses a throwaway database (SQLite in a temporary FANGKONG_HOME, or the PostgreSQL
database named in the URL, created and dropped). The workbooks are realistic: distinct valid ID
numbers and phones, 100 grids, households of three with a head, generated with XlsxWriter.
The time counted is the whole import as a user starts it: reading the .xlsx (calamine),
checking every row (ID checksum, phone, scope, duplicates in the file and the database),
encrypting and hashing, then writing persons, households and their history in one
transaction with the access-log entry. Files of 5 000 rows and more are checked by worker
processes when a CPU is free (see imports.parallel_workers). Target: at least
5 000 rows/s (aim: 10 000); the 100 000-row file should take no more than ten times the
10 000-row one.
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import (  # noqa: E402
    arguments,
    bootstrap,
    district,
    machine,
    peak_rss_mb,
    persons_workbook,
)


def run_import(path: Path, user):
    from fangkong.core.services import Origin
    from fangkong.core.transfer import registry
    from fangkong.core.transfer.imports import WRITING, import_workbook

    marks = {}

    def progress(phase, done, total):
        if phase == WRITING and "writing" not in marks:
            marks["writing"] = (time.perf_counter(), time.process_time())

    started = (time.perf_counter(), time.process_time())
    with path.open("rb") as fh:
        result = import_workbook(
            registry.importer("persons"),
            fh,
            actor=user,
            scope=user.scope,
            origin=Origin.command_line(),
            label=path.name,
            progress=progress,
        )
    finished = (time.perf_counter(), time.process_time())
    print(f"  checked by {result.workers or 'no'} worker processes; {machine()}")
    if result.errors:
        sys.exit(f"unexpected errors: {result.errors[:5]}")
    writing = marks.get("writing", finished)
    # (wall, CPU of this process) of the whole import and of reading + checking.
    return result, _minus(finished, started), _minus(writing, started)


def _minus(a, b):
    return a[0] - b[0], a[1] - b[1]


def main():
    args = arguments(
        __doc__.splitlines()[0],
        rows=(100_000, "rows of the large workbook"),
        small=(10_000, "rows of the small workbook"),
    )
    label = bootstrap(args.database_url)
    from fangkong.people.models import Household, Person

    user, grids = district()
    work = Path(tempfile.mkdtemp(prefix="fangkong-bench-xlsx-"))
    print(f"database: {label}; {machine()}")
    timings = {}
    start = 0
    for count in (args.small, args.rows):
        path = work / f"persons-{count}.xlsx"
        made = time.perf_counter()
        persons_workbook(path, count, grids, start=start)
        size = path.stat().st_size / 1e6
        print(
            f"\n{count} rows: workbook {size:.1f} MB written in {time.perf_counter() - made:.1f} s"
        )
        result, total, checked = run_import(path, user)
        start += count
        timings[count] = total[0]
        written = _minus(total, checked)
        print("  phase                        wall s     rows/s    (CPU s  rows/CPU-s)")
        for name, (wall, cpu) in (
            ("read + check + encrypt/hash", checked),
            ("write (one transaction)", written),
            ("whole import", total),
        ):
            print(
                f"  {name:28} {wall:6.1f} {count / wall:10.0f}    ({cpu:5.1f} {count / cpu:10.0f})"
            )
        print(f"  created {result.created} persons; peak RSS so far {peak_rss_mb():.0f} MB")
    print(
        f"\ntotals: {Person.objects.count()} persons, {Household.objects.count()} households, "
        f"{Person.history.count()} history rows"
    )
    ratio = timings[args.rows] / timings[args.small]
    scale = args.rows / args.small
    verdict = "within" if ratio <= scale * 1.1 else "WORSE than"
    print(
        f"time ratio {args.rows} / {args.small} rows: {ratio:.2f} "
        f"(linear would be {scale:.0f}: {verdict} linear)"
    )
    print(
        f"SUMMARY {label}: {args.small} rows {args.small / timings[args.small]:.0f} rows/s, "
        f"{args.rows} rows {args.rows / timings[args.rows]:.0f} rows/s "
        f"({timings[args.rows]:.1f} s), ratio {ratio:.2f}; {machine()}"
    )


if __name__ == "__main__":
    main()
