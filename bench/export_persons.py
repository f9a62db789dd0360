"""Export 10 000 and 100 000 persons to Excel; print the time and how memory grows.

    .venv/bin/python bench/export_persons.py
    .venv/bin/python bench/export_persons.py --database-url postgres://postgres@127.0.0.1:5432/fk_bench

A throwaway database is filled with 100 000 persons through the import (see
import_persons.py), 10 000 of them in one town. Each export runs as the page's background job
does: the scoped person list of a county user (filtered to the town for the small one), read
in chunks, masked values, streamed into the workbook by core/transfer/xlsx_stream.py, one
access-log entry. Target: 100 000 rows in under 15 s, with memory that does not grow with the
rows. The exports are timed first without tracing, then repeated under tracemalloc for the
peak of Python allocations.
"""

import sys
import tempfile
import time
import tracemalloc
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


def populate(user, grids, rows: int, work: Path) -> None:
    from fangkong.core.services import Origin
    from fangkong.core.transfer import registry
    from fangkong.core.transfer.imports import import_workbook

    path = persons_workbook(work / "persons.xlsx", rows, grids)
    started = time.perf_counter()
    with path.open("rb") as fh:
        result = import_workbook(
            registry.importer("persons"),
            fh,
            actor=user,
            scope=user.scope,
            origin=Origin.command_line(),
            label=path.name,
        )
    if result.errors:
        sys.exit(f"unexpected errors: {result.errors[:5]}")
    print(f"filled {result.created} persons in {time.perf_counter() - started:.1f} s")


def export(user, path: Path, filters: dict) -> int:
    from fangkong.core.services import Origin
    from fangkong.core.transfer import registry
    from fangkong.core.transfer.exports import export_workbook

    return export_workbook(
        registry.exporter("persons"),
        path,
        viewer=user,
        actor=user,
        scope=user.scope,
        filters=filters,
        reveal=False,
        origin=Origin.command_line(),
    )


def main():
    args = arguments(__doc__.splitlines()[0], rows=(100_000, "persons in the database"))
    label = bootstrap(args.database_url)
    from fangkong.people.models import Person

    # Ten towns of ten grids each: one town holds a tenth of the persons.
    user, grids = district(towns=10, villages=2, grids=5)
    work = Path(tempfile.mkdtemp(prefix="fangkong-bench-export-"))
    print(f"database: {label}; {machine()}")
    populate(user, grids, args.rows, work)
    town = "370305001"
    cases = [
        ("one town", {"area": town}, Person.objects.within(town).count()),
        ("whole county", {}, args.rows),
    ]
    times = {}
    for name, filters, expected in cases:
        path = work / f"export-{expected}.xlsx"
        started = time.perf_counter()
        cpu = time.process_time()
        count = export(user, path, filters)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        assert count == expected, (count, expected)
        times[count] = wall
        size = path.stat().st_size / 1e6
        print(
            f"{name:12} {count:7d} rows  {wall:5.1f} s  {count / wall:7.0f} rows/s  "
            f"(CPU {cpu:.1f} s)  file {size:.1f} MB  peak RSS so far {peak_rss_mb():.0f} MB"
        )
    peaks = {}
    for name, filters, expected in cases:
        tracemalloc.start()
        export(user, work / "traced.xlsx", filters)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peaks[expected] = peak / 1e6
        print(f"{name:12} {expected:7d} rows  tracemalloc peak {peak / 1e6:6.1f} MB")
    small, large = sorted(peaks)
    print(
        f"memory growth {large} vs {small} rows: {peaks[large] / peaks[small]:.2f}x "
        f"(flat would be 1); time ratio {times[large] / times[small]:.1f} "
        f"for {large / small:.0f}x the rows"
    )
    print(
        f"SUMMARY {label}: export of {large} persons {times[large]:.1f} s "
        f"({large / times[large]:.0f} rows/s), tracemalloc peak {peaks[large]:.1f} MB "
        f"({peaks[small]:.1f} MB for {small}); {machine()}"
    )


if __name__ == "__main__":
    main()
