"""Shared bootstrap of the transfer benchmarks: a throwaway database and realistic workbooks.

    from _setup import bootstrap, district, persons_workbook

`bootstrap()` points Django at a fresh FANGKONG_HOME (SQLite) or, with --database-url, at a
PostgreSQL database it creates and drops again; nothing of the checkout's own data is used.
"""

import argparse
import atexit
import datetime
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国志强文斌海燕春"
    "梅立新晓东德胜淑珍凤英子轩浩然欣怡梓涵雨桐思远嘉怡宇航家豪佳琪一诺"
)
PHONE_PREFIXES = ("138", "139", "150", "186", "133", "177", "189", "158")
RELATIONS = ("户主", "配偶", "子", "女", "父母")
HEADERS = [
    "姓名",
    "身份证号",
    "手机号",
    "所属区划代码",
    "住址",
    "户号",
    "与户主关系",
    "职业",
    "工作单位",
    "备注",
]
OCCUPATIONS = ("工人", "农民", "教师", "个体", "学生", "退休", "医生", "司机", "")


def arguments(description: str, **extra) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--database-url",
        default="",
        help="PostgreSQL URL of a database to create, use and drop (default: throwaway SQLite)",
    )
    for name, (default, help_text) in extra.items():
        parser.add_argument(f"--{name}", type=type(default), default=default, help=help_text)
    return parser.parse_args()


def bootstrap(database_url: str = "") -> str:
    """Set up Django against a fresh database; returns a label for the report."""
    sys.path.insert(0, str(ROOT / "src"))
    home = tempfile.mkdtemp(prefix="fangkong-bench-")
    atexit.register(shutil.rmtree, home, True)
    os.environ["FANGKONG_HOME"] = home
    os.environ["FANGKONG_DEBUG"] = "false"  # DEBUG would keep every query in memory
    os.environ["DJANGO_SETTINGS_MODULE"] = "fangkong.settings"
    label = "SQLite"
    if database_url:
        _create_postgres(database_url)
        atexit.register(_drop_postgres, database_url)
        os.environ["DATABASE_URL"] = database_url
        label = f"PostgreSQL ({urlsplit(database_url).path.lstrip('/')})"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return label


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        sys.exit(f"refusing odd database name {name!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def _create_postgres(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def district(towns: int = 5, villages: int = 4, grids: int = 5):
    """A county (370305) with towns, villages and grids, and a county-level importer."""
    from fangkong.accounts.services import roles_sync, user_create
    from fangkong.core.models import Area

    level = Area.Level
    rows = [
        Area(code="37", name="山东省", level=level.PROVINCE),
        Area(code="3703", name="淄博市", level=level.CITY, parent_id="37"),
        Area(code="370305", name="临淄区", level=level.COUNTY, parent_id="3703"),
    ]
    grid_codes = []
    for t in range(1, towns + 1):
        town = f"370305{t:03d}"
        rows.append(Area(code=town, name=f"第{t}街道", level=level.TOWN, parent_id="370305"))
        for v in range(1, villages + 1):
            village = f"{town}{v:03d}"
            rows.append(
                Area(code=village, name=f"{t}-{v}社区", level=level.VILLAGE, parent_id=town)
            )
            for g in range(1, grids + 1):
                code = f"{village}{g:03d}"
                rows.append(
                    Area(code=code, name=f"{t}-{v}-{g}网格", level=level.GRID, parent_id=village)
                )
                grid_codes.append(code)
    Area.objects.bulk_create(rows)
    roles_sync()
    user = user_create(
        actor=None,
        username="bench",
        password="Bench-2020-pass!",
        scope=Area.objects.get(code="370305"),
        roles=["town_admin"],
    )
    return user, grid_codes


def person_rows(count: int, grid_codes: list[str], *, start: int = 0, household_size: int = 3):
    """`count` valid, distinct rows; every `household_size` rows share a household number."""
    from fangkong.core.idcard import make_id_number

    rng = random.Random(start)
    base = datetime.date(1940, 1, 1)
    for i in range(start, start + count):
        # (birth day, sequence) is unique per i, so every ID number is distinct.
        birth = base + datetime.timedelta(days=(i // 1000) * 97)
        number = make_id_number("370305", birth, i % 1000)
        grid = grid_codes[(i // household_size) % len(grid_codes)]
        household = i // household_size
        phone = f"{PHONE_PREFIXES[i % len(PHONE_PREFIXES)]}{i:08d}"
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        yield [
            name,
            number,
            phone,
            grid,
            f"{grid[-6:]}号楼{household % 40 + 1}单元{household % 300 + 101}室",
            f"H{household:07d}",
            RELATIONS[0] if i % household_size == 0 else rng.choice(RELATIONS[1:]),
            rng.choice(OCCUPATIONS),
            "",
            "",
        ]


def persons_workbook(path: Path, count: int, grid_codes: list[str], *, start: int = 0) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("人员")
    sheet.write_row(0, 0, HEADERS)
    for row_index, row in enumerate(person_rows(count, grid_codes, start=start), start=1):
        for col, value in enumerate(row):
            if value:
                sheet.write_string(row_index, col, value)
    book.close()
    return path


def machine() -> str:
    """CPUs and load, printed with every figure: the benchmarks share the machine."""
    one, five, _fifteen = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.2f} (1 min) {five:.2f} (5 min)"


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
