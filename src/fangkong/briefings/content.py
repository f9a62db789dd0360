"""The briefing's text and key-figures table, written from one day's `figures()`.

Everything here reads the snapshot (a figures dict after a JSON round trip), never the
database, so a stored briefing renders the same page and document for ever.
"""

import datetime
from decimal import Decimal

from fangkong.core.numbers import grouped

# Section key -> heading, in document order. Supplies and enterprises are written only when
# their figure sections are available (docs/stats.md: `available: false` until they land).
SECTIONS = (
    ("overall", "总体情况"),
    ("checkpoints", "卡口查控"),
    ("key_persons", "重点人员管理"),
    ("monitoring", "健康监测"),
    ("reports", "日报告情况"),
    ("supplies", "物资保障"),
    ("enterprises", "复工复产"),
)
HEADINGS = dict(SECTIONS)
NUMERALS = "一二三四五六七八九十"
# The key figures table: column heading and how to read it from a by_town row.
TABLE_COLUMNS = (
    "单位",
    "卡口查控人数",
    "推送人数",
    "在管重点人员",
    "未处置预警",
    "日报告完整率",
)


def chinese_date(day) -> str:
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def percent(ratio) -> str:
    if ratio is None:
        return "—"
    return f"{float(ratio) * 100:.1f}%"


def _get(data: dict, *path, default=0):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def _available(figures: dict, key: str) -> bool:
    section = figures.get(key)
    return isinstance(section, dict) and bool(section.get("available"))


def _has_supplies(figures: dict) -> bool:
    # A district that keeps no warehouse and received no donation gets no empty section.
    supplies, donations = figures.get("supplies", {}), figures.get("donations", {})
    return bool(
        supplies.get("issued") or supplies.get("on_hand") or donations.get("donations_to_date")
    )


def section_keys(figures: dict) -> list[str]:
    keys = ["overall", "checkpoints", "key_persons", "monitoring"]
    for key in ("reports", "supplies", "enterprises"):
        if _available(figures, key) and (key != "supplies" or _has_supplies(figures)):
            keys.append(key)
    return keys


def _overall(f: dict) -> str:
    today, area = f.get("today", {}), _get(f, "area", "name", default="")
    text = (
        f"{chinese_date(f['date_to'])}，{area}各级卡口共查控车辆{today.get('vehicles', 0)}辆、"
        f"人员{today.get('persons', 0)}人；新推送重点人员{today.get('pushes', 0)}人，"
        f"目前在管重点人员{_get(f, 'ledger', 'managed')}人；"
        f"新增健康预警{today.get('alerts', 0)}起，核酸检测阳性{today.get('positives', 0)}人。"
    )
    if _available(f, "reports"):
        day = _get(f, "reports", "today", default={})
        text += (
            f"应报日报告{day.get('expected', 0)}个，已报{day.get('submitted', 0)}个，"
            f"完整率{percent(day.get('completeness'))}。"
        )
    return text


def _checkpoints(f: dict) -> str:
    today, total = f.get("today", {}), f.get("cumulative", {})
    open_points = sum(1 for c in f.get("checkpoints", []) if c.get("is_open"))
    return (
        f"全域{open_points}个卡口正常值守。当日查控车辆{today.get('vehicles', 0)}辆、"
        f"人员{today.get('persons', 0)}人，劝返{today.get('turned_back', 0)}人，"
        f"发热转诊{today.get('fever', 0)}人，转集中隔离观察{today.get('centralized', 0)}人。"
        f"累计查控车辆{total.get('vehicles', 0)}辆、人员{total.get('persons', 0)}人，"
        f"累计劝返{total.get('turned_back', 0)}人。"
    )


def _key_persons(f: dict) -> str:
    today, pushes, ledger = f.get("today", {}), f.get("pushes", {}), f.get("ledger", {})
    text = (
        f"当日新推送{today.get('pushes', 0)}人，接收{today.get('pushes_received', 0)}人；"
        f"待接收或待核实{pushes.get('open', 0)}人，其中超时未接收{pushes.get('overdue', 0)}人。"
        f"当日新增管控{today.get('key_persons_new', 0)}人，解除{today.get('released', 0)}人，"
        f"目前在管{ledger.get('managed', 0)}人，累计纳入管理"
        f"{_get(f, 'cumulative', 'key_persons')}人。"
    )
    categories = ledger.get("by_category") or {}
    if categories:
        parts = "、".join(f"{name}{count}人" for name, count in categories.items())
        text += f"在管人员中，{parts}。"
    return text


def _monitoring(f: dict) -> str:
    today, alerts, isolation = f.get("today", {}), f.get("alerts", {}), f.get("isolation", {})
    # A slot not yet open today is None: nobody has missed it.
    missing = (today.get("missing_logs_am") or 0) + (today.get("missing_logs_pm") or 0)
    return (
        f"当日上报体温记录{today.get('logs', 0)}条，未按时报告{missing}人次，"
        f"已提醒{today.get('reminded', 0)}人次。新增预警{today.get('alerts', 0)}起，"
        f"未处置预警{alerts.get('open', 0)}起。当日核酸检测阳性{today.get('positives', 0)}人。"
        f"集中隔离点{isolation.get('sites', 0)}处，床位{isolation.get('capacity', 0)}张，"
        f"在隔{isolation.get('occupied', 0)}人，空余{isolation.get('free', 0)}张。"
    )


def _reports(f: dict) -> str:
    day = _get(f, "reports", "today", default={})
    return (
        f"应报日报告{day.get('expected', 0)}个，已报{day.get('submitted', 0)}个"
        f"（其中零报告{day.get('zero', 0)}个），按时报告{day.get('on_time', 0)}个，"
        f"迟报{day.get('late', 0)}个，未报{day.get('missing', 0)}个；"
        f"完整率{percent(day.get('completeness'))}，及时率{percent(day.get('timeliness'))}。"
    )


def number(value) -> str:
    """77894 -> "77 894" (thin groups, as briefings print them), 12.5 -> "12.5"."""
    value = value or 0
    if isinstance(value, str):
        value = float(value)
    # The snapshot holds JSON numbers: two places, as the briefing prints them.
    return grouped(Decimal(f"{value:.2f}"))


def _items(rows: list[dict], key: str) -> str:
    return "、".join(
        f"{row['item']}{number(row[key])}{row['unit']}" for row in rows if row.get(key)
    )


def _supplies(f: dict) -> str:
    supplies, donations = f.get("supplies", {}), f.get("donations", {})
    issued = supplies.get("issued", [])
    parts = []
    today = _items(issued, "in_range")
    parts.append(f"当日发放{today}。" if today else "当日无物资发放。")
    to_date = _items(issued, "to_date")
    if to_date:
        parts.append(f"累计共发放{to_date}。")
    low = supplies.get("below_threshold", [])
    if low:
        listed = "、".join(
            f"{row['warehouse']}{row['item']}（余{number(row['on_hand'])}{row['unit']}，"
            f"预警线{number(row['threshold'])}）"
            for row in low[:5]
        )
        parts.append(f"低于预警线的库存{len(low)}项：{listed}。")
    cover = supplies.get("lowest_cover", [])
    if cover:
        listed = "、".join(f"{row['item']}{number(row['days_of_cover'])}天" for row in cover[:3])
        parts.append(f"按近7日消耗计，可保障天数最少的是{listed}。")
    pending, to_issue = supplies.get("requests_pending", 0), supplies.get("requests_to_issue", 0)
    if pending or to_issue:
        parts.append(f"物资申请待审批{pending}件、已批待发放{to_issue}件。")
    if donations.get("donations_to_date"):
        parts.append(
            f"当日接收捐赠{donations.get('donations', 0)}笔，"
            f"捐款{number(donations.get('money_received'))}元；"
            f"累计接收捐赠{donations.get('donations_to_date', 0)}笔，"
            f"捐款{number(donations.get('money_received_to_date'))}元，"
            f"已使用{number(donations.get('money_used_to_date'))}元，"
            f"结余{number(donations.get('money_balance'))}元，"
            f"捐赠物资折价{number(donations.get('goods_value_to_date'))}元。"
        )
    return "".join(parts)


def _module(f: dict, key: str) -> str:
    # Written for the figure sections of modules that have not landed yet: their own keys
    # are listed as they are until those modules define their wording.
    section = {k: v for k, v in f.get(key, {}).items() if k != "available"}
    return "；".join(f"{k}：{v}" for k, v in section.items()) + "。" if section else ""


WRITERS = {
    "overall": _overall,
    "checkpoints": _checkpoints,
    "key_persons": _key_persons,
    "monitoring": _monitoring,
    "reports": _reports,
    "supplies": _supplies,
}


def write_sections(figures: dict) -> list[dict]:
    sections = []
    for key in section_keys(figures):
        writer = WRITERS.get(key)
        text = writer(figures) if writer else _module(figures, key)
        sections.append({"key": key, "heading": HEADINGS[key], "text": text})
    return sections


def numbered(sections: list[dict]) -> list[dict]:
    """The sections with their 一、二、… heading."""
    return [
        {**s, "title": f"{NUMERALS[i] if i < len(NUMERALS) else i + 1}、{s['heading']}"}
        for i, s in enumerate(sections)
    ]


def table_rows(figures: dict) -> list[list[str]]:
    """One row per child area (the towns of a district) and a 合计 row of the area."""
    completeness = {
        row.get("code"): row.get("completeness")
        for row in _get(figures, "reports", "by_child", default=[])
    }
    reports = _available(figures, "reports")
    rows = []
    for town in figures.get("by_town", []):
        name = town.get("name", "")
        if town.get("own"):
            name = f"{name}（本级）"
        rows.append(
            [
                name,
                str(town.get("persons", 0)),
                str(town.get("pushes", 0)),
                str(town.get("managed", 0)),
                str(town.get("alerts_open", 0)),
                percent(completeness.get(town.get("code"))) if reports else "—",
            ]
        )
    total_completeness = _get(figures, "reports", "today", "completeness", default=None)
    rows.append(
        [
            "合计",
            str(_get(figures, "today", "persons")),
            str(_get(figures, "today", "pushes")),
            str(_get(figures, "ledger", "managed")),
            str(_get(figures, "alerts", "open")),
            percent(total_completeness) if reports else "—",
        ]
    )
    return rows
