"""Imports of the catalogue and of inbound and outbound ledgers, exports of stock, movements
and requests; the command-line twins."""

import io

import pytest
from django.core.management import call_command

from fangkong.core.services import Origin
from fangkong.core.transfer import registry
from fangkong.core.transfer.imports import import_workbook
from fangkong.supplies import services
from fangkong.supplies.models import Inbound, Item, Movement, Outbound
from tests.supplies import helpers
from tests.transfer.workbooks import read, workbook

pytestmark = pytest.mark.django_db

INBOUND = ["仓库", "入库类型", "供应商/下拨单位", "发票号", "文号", "日期", "物资名称", "规格",
           "数量", "单价"]  # fmt: skip
OUTBOUND = ["仓库", "日期", "接收区划代码", "接收单位", "单位类型", "领取人", "物资名称", "规格",
            "数量"]  # fmt: skip


def run(kind, data, user, scope=None):
    return import_workbook(
        registry.importer(kind),
        io.BytesIO(data),
        actor=user,
        scope=scope or user.scope,
        origin=Origin(ip_address="10.0.0.1", user_agent="test"),
        label=f"{kind}.xlsx",
    )


def where(result):
    return [(e.row, e.column) for e in result.errors]


def test_it_imports_catalogue_items_and_reports_duplicates(keeper, items, users):
    headers = ["分类", "物资名称", "规格", "单位", "整数计量"]
    good = [
        {"分类": "防护用品", "物资名称": "KN95口罩", "单位": "个"},
        {"分类": "办公用品", "物资名称": "登记本", "规格": "A4", "单位": "本", "整数计量": "是"},
        {"分类": "消杀用品", "物资名称": "过氧乙酸", "单位": "升", "整数计量": "否"},
    ]
    bad = [
        *good,
        {"分类": "防护用品", "物资名称": "N95口罩", "规格": "GB 19083", "单位": "个"},
        {"分类": "防护用品", "物资名称": "KN95口罩", "单位": "个", "整数计量": "也许"},
    ]
    result = run("supply-items", workbook(bad, headers), keeper)
    assert sorted(where(result)) == [(5, "物资名称"), (6, "整数计量"), (6, "物资名称")]
    assert not Item.objects.filter(name="KN95口罩").exists()
    assert run("supply-items", workbook(good, headers), users.town).errors
    result = run("supply-items", workbook(good, headers), keeper)
    assert result.ok and result.created == 3
    assert not Item.objects.get(name="过氧乙酸").countable
    assert Item.objects.get(name="登记本").category.name == "办公用品"


def test_it_imports_an_inbound_ledger_as_documents(town_store, items, users):
    rows = [
        {"仓库": town_store.name, "入库类型": "采购", "供应商/下拨单位": "鲁中医药",
         "发票号": "001", "日期": "2020-02-03", "物资名称": "一次性口罩", "数量": "1000",
         "单价": "0.8"},
        {"仓库": town_store.name, "入库类型": "采购", "供应商/下拨单位": "鲁中医药",
         "发票号": "001", "日期": "2020-02-03", "物资名称": "N95口罩", "数量": "100"},
        {"仓库": town_store.name, "入库类型": "调拨", "供应商/下拨单位": "区应急管理局",
         "文号": "临应急〔2020〕3号", "日期": "2020-02-04", "物资名称": "医用酒精", "数量": "20.5"},
    ]  # fmt: skip
    result = run("supply-inbound", workbook(rows, INBOUND), users.town)
    assert result.ok, result.errors
    assert Inbound.objects.count() == 2
    assert helpers.on_hand(town_store, items["医用酒精"]) == 20.5
    assert Inbound.objects.get(kind="purchase").lines.count() == 2
    helpers.assert_books_balance()


def test_it_names_every_bad_inbound_row_and_writes_nothing(town_store, items, users, tree):
    rows = [
        {"仓库": town_store.name, "入库类型": "采购", "物资名称": "一次性口罩", "数量": "10"},
        {"仓库": "不存在的库", "入库类型": "捐赠", "物资名称": "一次性口罩", "数量": "10"},
        {"仓库": town_store.name, "入库类型": "捐赠", "物资名称": "金口罩", "数量": "10"},
        {"仓库": town_store.name, "入库类型": "捐赠", "物资名称": "N95口罩", "数量": "1.5"},
        {"仓库": town_store.name, "入库类型": "买", "物资名称": "N95口罩", "数量": "1",
         "日期": "2999-01-01"},
    ]  # fmt: skip
    result = run("supply-inbound", workbook(rows, INBOUND), users.town)
    assert sorted(where(result)) == [
        (2, "供应商/下拨单位"),
        (3, "仓库"),
        (4, "物资名称"),
        (5, "数量"),
        (6, "入库类型"),
        (6, "日期"),
    ]
    message = next(e.message for e in result.errors if e.row == 4)
    assert "金口罩" in message
    assert not Inbound.objects.exists() and not Movement.objects.exists()
    # The other town's staff do not see this warehouse.
    result = run("supply-inbound", workbook(rows[2:3], INBOUND), users.other_town)
    assert (2, "仓库") in where(result)


def test_it_imports_an_outbound_ledger_and_refuses_to_overdraw(town_store, items, users, tree):
    helpers.stock_in(town_store, items["一次性口罩"], 100)
    rows = [
        {"仓库": town_store.name, "日期": "2020-02-05", "接收区划代码": tree.village.code,
         "接收单位": "太公社区", "单位类型": "村居", "领取人": "王五", "物资名称": "一次性口罩",
         "数量": "60"},
        {"仓库": town_store.name, "日期": "2020-02-05", "接收区划代码": tree.village2.code,
         "单位类型": "卡口", "物资名称": "一次性口罩", "数量": "50"},
        {"仓库": town_store.name, "接收区划代码": tree.other_village.code, "单位类型": "村居",
         "物资名称": "一次性口罩", "数量": "1"},
        {"仓库": town_store.name, "接收区划代码": tree.village.code, "单位类型": "飞船",
         "物资名称": "一次性口罩", "数量": "1"},
    ]  # fmt: skip
    result = run("supply-outbound", workbook(rows, OUTBOUND), users.town)
    assert sorted(where(result)) == [(3, "数量"), (4, "接收区划代码"), (5, "单位类型")]
    assert "一次性口罩" in next(e.message for e in result.errors if e.row == 3)
    assert not Outbound.objects.exists()
    rows[1]["数量"] = "40"
    result = run("supply-outbound", workbook(rows[:2], OUTBOUND), users.town)
    assert result.ok, result.errors
    assert helpers.on_hand(town_store, items["一次性口罩"]) == 0
    assert set(Outbound.objects.values_list("unit_type", flat=True)) == {"village", "checkpoint"}
    helpers.assert_books_balance()


def test_the_cli_writes_templates_imports_and_exports(town_store, items, users, tree, tmp_path):
    for kind, first in (("supply-items", "分类*"), ("supply-inbound", "仓库*"),
                        ("supply-outbound", "仓库*")):  # fmt: skip
        path = tmp_path / f"{kind}.xlsx"
        call_command("template", kind, "-o", str(path))
        assert read(path.read_bytes())[0][0] == first
    source = tmp_path / "in.xlsx"
    source.write_bytes(
        workbook(
            [{"仓库": town_store.name, "入库类型": "捐赠", "物资名称": "防护服", "数量": "30"}],
            INBOUND,
        )
    )
    call_command("import", "supply-inbound", str(source), "--user", "town")
    assert helpers.on_hand(town_store, items["防护服"]) == 30
    services.request_create(
        actor=users.village,
        unit_type="village",
        purpose="值守",
        lines=[{"item": items["防护服"], "quantity": 3}],
    )
    for kind, header in (("supply-stock", "仓库"), ("supply-movements", "日期"),
                         ("supply-requests", "申请编号")):  # fmt: skip
        out = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, "-o", str(out), "--user", "command")
        rows = read(out.read_bytes())
        assert rows[0][0] == header and len(rows) == 2, (kind, rows)
    out = tmp_path / "other.xlsx"
    call_command("export", "supply-stock", "-o", str(out), "--user", "other_town")
    assert len(read(out.read_bytes())) == 1
