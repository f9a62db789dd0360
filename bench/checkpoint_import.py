"""Import a historical checkpoint ledger of 236 549 rows (济南先行区's three months); print
the time.

    .venv/bin/python bench/checkpoint_import.py
    .venv/bin/python bench/checkpoint_import.py --database-url postgres://postgres@127.0.0.1:5432/fk_bench
    .venv/bin/python bench/checkpoint_import.py --rows 20000      # a quick run

A throwaway database (SQLite in a temporary FANGKONG_HOME, or the PostgreSQL database named
in the URL, created and dropped) gets a district of 100 grids and eight checkpoints with two
shifts each. The workbook has one row per person as the paper ledgers did: 日期时间 over 91
days, 卡口, 车牌号 (one to four persons share a vehicle; one row in twenty is a pedestrian),
valid ID numbers and phones, 来自 from a list of provinces and cities, 体温, 去往 (a grid code,
a grid's name, or an address outside the district) and 处置结果. The time counted is the whole
import as `fangkong import checkpoint-registrations` runs it: reading the .xlsx, checking
every row (ID checksum, plate, temperature, checkpoint, destination), grouping the rows into
vehicles, encrypting and hashing, and writing vehicles and registrations in one transaction.
"""

import datetime
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import (  # noqa: E402
    GIVEN,
    PHONE_PREFIXES,
    SURNAMES,
    arguments,
    bootstrap,
    district,
    machine,
    peak_rss_mb,
)

ORIGINS = (
    "湖北省武汉市武昌区",
    "河南省郑州市",
    "北京市朝阳区",
    "山东省济南市",
    "山东省淄博市张店区",
    "山东省淄博市临淄区",
    "江苏省南京市",
    "广东省深圳市",
)
REGIONS = ("420106", "410105", "110105", "370102", "370303", "370305", "320102", "440303")
OUTCOMES = ("放行",) * 17 + ("劝返", "劝返", "集中留观")
CHECKPOINTS = 8


def setup():
    from fangkong.checkpoints.services import checkpoint_create
    from fangkong.core.models import Area

    user, grids = district(towns=5, villages=4, grids=5)
    names = []
    towns = list(Area.objects.filter(level=Area.Level.TOWN).order_by("code"))
    for n in range(CHECKPOINTS):
        checkpoint = checkpoint_create(
            actor=None,
            area=towns[n % len(towns)],
            name=f"卡口{n + 1}",
            level=1 + n % 4,
            kind="road",
            shifts=[
                ("白班", datetime.time(8), datetime.time(20)),
                ("夜班", datetime.time(20), datetime.time(8)),
            ],
        )
        names.append(checkpoint.name)
    grid_names = dict(Area.objects.filter(code__in=grids).values_list("code", "name"))
    return user, grids, grid_names, names


def ledger_rows(count: int, grids, grid_names, checkpoints):
    from fangkong.core.idcard import make_id_number

    rng = random.Random(2020)
    start = datetime.datetime(2020, 1, 24, 0, 0)
    # Three months of vehicles, evenly spread.
    step = datetime.timedelta(days=91) / max(1, count // 2)
    moment = start
    serial = 0
    produced = 0
    while produced < count:
        moment += step * rng.choice((1, 2, 3))
        checkpoint = rng.choice(checkpoints)
        on_foot = rng.random() < 0.05
        size = 1 if on_foot else rng.choice((1, 1, 2, 2, 2, 3, 4))
        plate = "" if on_foot else f"鲁{rng.choice('ABCCCDEFGH')}{rng.randrange(100000):05d}"
        for seat in range(size):
            if produced >= count:
                break
            serial += 1
            produced += 1
            index = rng.randrange(len(ORIGINS))
            birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=serial % 20000)
            fever = rng.random() < 0.003
            where = rng.random()
            grid = rng.choice(grids)
            if where < 0.6:
                destination = grid
            elif where < 0.8:
                destination = grid_names[grid]
            else:
                destination = "山东省淄博市张店区华光路"
            yield [
                moment.strftime("%Y-%m-%d %H:%M"),
                checkpoint,
                plate,
                "" if plate else "步行",
                "是" if seat == 0 and plate else "否",
                rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                make_id_number(REGIONS[index], birth, serial % 997),
                f"{PHONE_PREFIXES[serial % len(PHONE_PREFIXES)]}{serial:08d}",
                ORIGINS[index],
                "",
                "否",
                "否",
                "38.1" if fever else f"{36 + rng.randrange(10) / 10:.1f}",
                "是",
                destination,
                "移交发热门诊" if fever else rng.choice(OUTCOMES),
                "",
            ]


def workbook(path: Path, count: int, grids, grid_names, checkpoints) -> Path:
    import xlsxwriter

    from fangkong.checkpoints.transfer import RegistrationImporter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("卡口登记")
    sheet.write_row(0, 0, [column.header for column in RegistrationImporter.columns])
    for row_index, row in enumerate(ledger_rows(count, grids, grid_names, checkpoints), start=1):
        for col, value in enumerate(row):
            if value:
                sheet.write_string(row_index, col, value)
    book.close()
    return path


def main():
    args = arguments(__doc__.splitlines()[0], rows=(236_549, "rows of the workbook"))
    label = bootstrap(args.database_url)
    from fangkong.checkpoints.models import Registration, VehicleCheck
    from fangkong.core.services import Origin
    from fangkong.core.transfer import registry
    from fangkong.core.transfer.imports import WRITING, import_workbook

    user, grids, grid_names, checkpoints = setup()
    path = Path(tempfile.mkdtemp(prefix="fangkong-bench-xlsx-")) / "checkpoints.xlsx"
    made = time.perf_counter()
    workbook(path, args.rows, grids, grid_names, checkpoints)
    print(f"database: {label}; {machine()}")
    print(
        f"{args.rows} rows: workbook {path.stat().st_size / 1e6:.1f} MB written in "
        f"{time.perf_counter() - made:.1f} s",
        flush=True,
    )
    marks = {}

    def progress(phase, done, total):
        if phase == WRITING and "writing" not in marks:
            marks["writing"] = time.perf_counter()

    started = time.perf_counter()
    with path.open("rb") as fh:
        result = import_workbook(
            registry.importer("checkpoint-registrations"),
            fh,
            actor=user,
            scope=user.scope,
            origin=Origin.command_line(),
            label=path.name,
            progress=progress,
        )
    finished = time.perf_counter()
    if result.errors:
        sys.exit(f"unexpected errors: {result.errors[:5]}")
    checked = marks.get("writing", finished) - started
    total = finished - started
    print(f"  checked by {result.workers or 'no'} worker processes; {machine()}")
    print(f"  read + check + group: {checked:6.1f} s  ({args.rows / checked:8.0f} rows/s)")
    print(f"  write + commit:       {total - checked:6.1f} s")
    print(f"  whole import:         {total:6.1f} s  ({args.rows / total:8.0f} rows/s)")
    print(
        f"  created {VehicleCheck.objects.count()} vehicle checks, "
        f"{Registration.objects.count()} registrations; peak RSS {peak_rss_mb():.0f} MB"
    )
    print(f"SUMMARY {label}: {args.rows} rows imported in {total:.1f} s; {machine()}")


if __name__ == "__main__":
    main()
