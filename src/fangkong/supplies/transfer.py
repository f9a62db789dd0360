"""Excel import of the catalogue and of inbound and outbound ledgers (出入库台账), and exports
of stock, movements and requests.

Inbound and outbound rows are one line each; rows with the same warehouse, kind, partner,
numbers and date form one document, written through the same services as the pages. An
unknown warehouse or item is an error naming its row and column; an outbound file that takes
more than the warehouse holds is refused at the row where it runs short. One error and
nothing is written.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core.models import Area
from fangkong.core.scope import is_within
from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import Column, ExportColumn, Exporter, Importer, RowInvalid
from fangkong.supplies import selectors, services
from fangkong.supplies.models import Category, Item, Movement, Stock, SupplyRequest, Warehouse

IMPORT = "supplies.import_supplies"
EXPORT = "supplies.export_supplies"
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
YES = {"是", "y", "yes", "1", "true", "√"}
NO = {"否", "n", "no", "0", "false", "×"}
# The ledgers' words (data, not translation).
INBOUND_WORDS = {"采购": "purchase", "调拨": "allocation", "下拨": "allocation", "捐赠": "donation"}
UNIT_WORDS = {
    "村居": "village",
    "村": "village",
    "社区": "village",
    "卡口": "checkpoint",
    "医院": "hospital",
    "卫生院": "hospital",
    "隔离点": "isolation",
    "企业": "enterprise",
    "乡镇": "town",
    "街道": "town",
    "其他": "other",
}
UNIT_LABELS = {
    "village": "村居",
    "checkpoint": "卡口",
    "hospital": "医院",
    "isolation": "隔离点",
    "enterprise": "企业",
    "town": "乡镇",
    "other": "其他",
}
KIND_LABELS = {
    "purchase": "采购",
    "allocation": "调拨",
    "donation": "捐赠",
    "issue": "发放",
    "transfer_out": "调出",
    "transfer_in": "调入",
    "adjustment": "盘点调整",
}


def parse_date(text: str) -> datetime.date | None:
    text = text.strip()[:11]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _catalogue() -> dict[tuple[str, str], Item]:
    return {(item.name, item.specification): item for item in Item.objects.filter(active=True)}


def _find_item(catalogue, name: str, spec: str) -> Item | None:
    if (name, spec) in catalogue:
        return catalogue[(name, spec)]
    if not spec:
        # Without a specification, the name alone when it is unambiguous.
        matches = [item for (n, _s), item in catalogue.items() if n == name]
        if len(matches) == 1:
            return matches[0]
    return None


def _item_columns(note) -> tuple[Column, ...]:
    return (
        Column("item", "物资名称", required=True, max_length=100, width=16, note=note),
        Column("specification", "规格", max_length=100, width=14, aliases=("规格型号",)),
        Column(
            "quantity",
            "数量",
            required=True,
            width=10,
            note=gettext_lazy("Whole units for countable items; litres may have two decimals."),
        ),
    )


# -- catalogue -------------------------------------------------------------------------------


class ItemRow(NamedTuple):
    category: str
    name: str
    specification: str
    unit: str
    countable: bool


class ItemImporter(Importer):
    kind = "supply-items"
    label = gettext_lazy("Supply catalogue")
    permission = IMPORT
    target_type = "supply_item"
    columns = (
        Column("category", "分类", required=True, max_length=50, width=12),
        Column("name", "物资名称", required=True, max_length=100, width=18, aliases=("名称",)),
        Column("specification", "规格", max_length=100, width=16, aliases=("规格型号",)),
        Column("unit", "单位", required=True, max_length=10, width=8),
        Column(
            "countable",
            "整数计量",
            width=10,
            choices=("是", "否"),
            note=gettext_lazy("否 for goods measured in fractions (litres); 是 by default."),
        ),
    )

    def prepare(self, run, values):
        if run.actor is not None and (not run.actor.scope_id or len(run.actor.scope_id) > 6):
            raise RowInvalid({"name": _("Only district staff edit the catalogue")})
        raw = values["countable"].strip().lower()
        row = ItemRow(
            values["category"].strip(),
            values["name"].strip(),
            values["specification"].strip(),
            values["unit"].strip(),
            raw not in NO,
        )
        if raw and raw not in YES | NO:
            raise RowInvalid({"countable": _("Write 是 or 否")}, row=row)
        return row

    def check(self, run, rows):
        existing = set(
            Item.objects.filter(name__in=[row.name for _n, row in rows]).values_list(
                "name", "specification"
            )
        )
        seen = run.data.setdefault("seen", {})
        for number, row in rows:
            key = (row.name, row.specification)
            if key in existing:
                run.error(number, "name", _("%(item)s is already in the catalogue") % {
                    "item": row.name
                })  # fmt: skip
                continue
            first = seen.setdefault(key, number)
            if first != number:
                run.error(
                    number, "name", _("The same item is already in row %(row)d") % {"row": first}
                )

    def write(self, run):
        categories = {c.name: c for c in Category.objects.all()}
        order = len(categories)
        for _number, row in run.rows:
            if row.category not in categories:
                order += 1
                categories[row.category] = services.category_create(
                    actor=run.actor, name=row.category, order=order * 10
                )
            services.item_create(
                actor=run.actor,
                category=categories[row.category],
                name=row.name,
                unit=row.unit,
                specification=row.specification,
                countable=row.countable,
            )
        return len(run.rows)


# -- inbound and outbound --------------------------------------------------------------------


class LineRow(NamedTuple):
    warehouse: str
    document: tuple
    day: datetime.date | None
    item_name: str
    spec: str
    quantity: str
    extra: dict


def _warehouses(run) -> dict[str, Warehouse]:
    if "warehouses" not in run.data:
        run.data["warehouses"] = {
            w.name: w for w in Warehouse.objects.within(run.scope).filter(active=True)
        }
    return run.data["warehouses"]


def _check_lines(run, rows) -> None:
    """The checks inbound and outbound share: warehouse, item and quantity per row."""
    stores = _warehouses(run)
    catalogue = run.data.setdefault("catalogue", _catalogue())
    lines = run.data.setdefault("lines", {})
    for number, row in rows:
        store = stores.get(row.warehouse)
        if store is None:
            run.error(
                number,
                "warehouse",
                _("Unknown warehouse %(name)s in your scope") % {"name": row.warehouse},
            )
        item = _find_item(catalogue, row.item_name, row.spec)
        if item is None:
            run.error(
                number,
                "item",
                _("Unknown item %(name)s %(spec)s: add it to the catalogue first")
                % {"name": row.item_name, "spec": row.spec},
            )
            continue
        try:
            quantity = services.quantity_of(item, row.quantity)
        except ValueError as exc:
            run.error(number, "quantity", exc)
            continue
        if store is not None:
            lines[number] = (store, item, quantity)


def _documents(run) -> dict[tuple, list[tuple[int, LineRow]]]:
    documents: dict[tuple, list] = {}
    for number, row in run.rows:
        documents.setdefault((row.warehouse, *row.document, row.day), []).append((number, row))
    return documents


def _day(run, values, errors) -> datetime.date | None:
    text = values["day"].strip()
    if not text:
        return run.today
    day = parse_date(text)
    if day is None:
        errors["day"] = _("Write the date as 2020-02-10")
    elif day > run.today:
        errors["day"] = _("The date cannot be in the future")
    return day


class InboundImporter(Importer):
    kind = "supply-inbound"
    label = gettext_lazy("Supplies received (inbound ledger)")
    permission = IMPORT
    target_type = "supply_inbound"
    batch_size = 900

    @property
    def columns(self):
        return (
            Column("warehouse", "仓库", required=True, max_length=100, width=18),
            Column("kind", "入库类型", required=True, width=10, choices=("采购", "调拨", "捐赠")),
            Column(
                "supplier",
                "供应商/下拨单位",
                max_length=200,
                width=20,
                aliases=("供应商", "下拨单位", "来源"),
                note=gettext_lazy("Required for purchases and allocations."),
            ),
            Column("invoice_no", "发票号", max_length=60, width=14),
            Column("document_no", "文号", max_length=60, width=16),
            Column("day", "日期", width=12, note=gettext_lazy("e.g. 2020-02-10; empty: today")),
            *_item_columns(gettext_lazy("As in the catalogue.")),
            Column("unit_price", "单价", width=10),
        )

    def prepare(self, run, values):
        errors = {}
        kind = INBOUND_WORDS.get(values["kind"].strip(), "")
        if not kind:
            errors["kind"] = _("Write 采购, 调拨 or 捐赠")
        supplier = values["supplier"].strip()
        if kind in ("purchase", "allocation") and not supplier:
            errors["supplier"] = _("Name the supplier or the issuing body")
        price = values["unit_price"].strip()
        if price:
            try:
                if Decimal(price) < 0:
                    raise ValueError
            except (ArithmeticError, ValueError):
                errors["unit_price"] = _("Write the unit price as a number")
        day = _day(run, values, errors)
        row = LineRow(
            values["warehouse"].strip(),
            (kind, supplier, values["invoice_no"].strip(), values["document_no"].strip()),
            day,
            values["item"].strip(),
            values["specification"].strip(),
            values["quantity"].strip(),
            {"unit_price": price or None},
        )
        if errors:
            raise RowInvalid(errors, row=row)
        return row

    def check(self, run, rows):
        _check_lines(run, rows)

    def write(self, run):
        lines = run.data["lines"]
        for (_store, kind, supplier, invoice, document, day), rows in _documents(run).items():
            services.inbound_create(
                actor=run.actor,
                warehouse=lines[rows[0][0]][0],
                kind=kind,
                supplier=supplier,
                invoice_no=invoice,
                document_no=document,
                day=day,
                lines=[
                    {
                        "item": lines[number][1],
                        "quantity": lines[number][2],
                        "unit_price": row.extra["unit_price"],
                    }
                    for number, row in rows
                ],
            )
        return len(run.rows)


class OutboundImporter(Importer):
    kind = "supply-outbound"
    label = gettext_lazy("Supplies issued (outbound ledger)")
    permission = IMPORT
    target_type = "supply_outbound"
    batch_size = 900

    @property
    def columns(self):
        return (
            Column("warehouse", "仓库", required=True, max_length=100, width=18),
            Column("day", "日期", width=12, note=gettext_lazy("e.g. 2020-02-10; empty: today")),
            Column(
                "area",
                "接收区划代码",
                required=True,
                max_length=15,
                width=16,
                note=gettext_lazy("The statistics code of the receiving village or town."),
            ),
            Column("unit_name", "接收单位", max_length=100, width=18),
            Column(
                "unit_type",
                "单位类型",
                required=True,
                width=10,
                choices=tuple(UNIT_LABELS.values()),
                strict=False,
            ),
            Column("receiver", "领取人", max_length=50, width=10),
            *_item_columns(gettext_lazy("As in the catalogue.")),
        )

    def prepare(self, run, values):
        errors = {}
        unit_type = UNIT_WORDS.get(values["unit_type"].strip(), "")
        if not unit_type:
            errors["unit_type"] = _("Write one of 村居, 卡口, 医院, 隔离点, 企业, 乡镇, 其他")
        area = values["area"].strip()
        if not area.isdigit() or not is_within(area, run.scope.code):
            errors["area"] = _("Unknown area code %(code)s in your scope") % {"code": area}
        day = _day(run, values, errors)
        row = LineRow(
            values["warehouse"].strip(),
            (area, values["unit_name"].strip(), unit_type, values["receiver"].strip()),
            day,
            values["item"].strip(),
            values["specification"].strip(),
            values["quantity"].strip(),
            {},
        )
        if errors:
            raise RowInvalid(errors, row=row)
        return row

    def check(self, run, rows):
        _check_lines(run, rows)
        codes = {row.document[0] for _n, row in rows if row.document[0].isdigit()}
        areas = run.data.setdefault("areas", {})
        areas.update({a.code: a for a in Area.objects.filter(code__in=codes - set(areas))})
        stores = _warehouses(run)
        for number, row in rows:
            code = row.document[0]
            if not code.isdigit() or not is_within(code, run.scope.code):
                continue
            if code not in areas:
                run.error(number, "area", _("Unknown area code %(code)s") % {"code": code})
                continue
            store = stores.get(row.warehouse)
            if store is not None and not is_within(code, store.area_id):
                run.error(number, "area", _("The unit must lie inside the warehouse's area"))

    def complete(self, run):
        """Refuse at the row where the file takes more than the warehouse holds."""
        lines = run.data.get("lines") or {}
        held = {
            (stock.warehouse_id, stock.item_id): stock.on_hand
            for stock in Stock.objects.filter(
                warehouse__in={store.pk for store, _i, _q in lines.values()}
            )
        }
        refused = {error.row for error in run.errors}
        for number in sorted(lines):
            if number in refused:
                continue
            store, item, quantity = lines[number]
            key = (store.pk, item.pk)
            left = held.get(key, Decimal(0)) - quantity
            if left < 0:
                run.error(
                    number,
                    "quantity",
                    _("Only %(on_hand)s %(unit)s of %(item)s left in %(warehouse)s")
                    % {
                        "on_hand": held.get(key, Decimal(0)).normalize(),
                        "unit": item.unit,
                        "item": item.name,
                        "warehouse": store.name,
                    },
                )
            held[key] = max(left, Decimal(0))

    def write(self, run):
        lines = run.data["lines"]
        areas = run.data["areas"]
        for key, rows in _documents(run).items():
            _store, code, unit_name, unit_type, receiver, day = key
            services.issue_create(
                actor=run.actor,
                warehouse=lines[rows[0][0]][0],
                recipient_area=areas[code],
                unit_name=unit_name,
                unit_type=unit_type,
                receiver_name=receiver,
                day=day,
                lines=[
                    {"item": lines[number][1], "quantity": lines[number][2]}
                    for number, _row in rows
                ],
            )
        return len(run.rows)


# -- exports ---------------------------------------------------------------------------------


class StockExporter(Exporter):
    kind = "supply-stock"
    label = gettext_lazy("Stock on hand")
    permission = EXPORT
    target_type = "supply_stock"

    def queryset(self, user, filters):
        return selectors.stock_list(user=user)

    def columns(self, reveal):
        return [
            ExportColumn("仓库", "warehouse__name", 20),
            ExportColumn("区划代码", "area_id", 14),
            ExportColumn("分类", "item__category__name", 10),
            ExportColumn("物资名称", "item__name", 16),
            ExportColumn("规格", "item__specification", 14),
            ExportColumn("单位", "item__unit", 6),
            ExportColumn("库存", "on_hand", 10, "number"),
            ExportColumn("预警值", "low_threshold", 10, "number"),
            ExportColumn("低于预警", "low_text", 8),
        ]

    def rows(self, queryset, reveal):
        keys = [c.key for c in self.columns(reveal) if c.key != "low_text"]
        for row in queryset.values(*keys).iterator(chunk_size=self.chunk_size):
            threshold = row["low_threshold"]
            row["low_text"] = "是" if threshold and row["on_hand"] < threshold else ""
            yield row


class MovementExporter(Exporter):
    kind = "supply-movements"
    label = gettext_lazy("Stock movements")
    permission = EXPORT
    target_type = "supply_movement"

    def queryset(self, user, filters):
        return selectors.movements(user=user).order_by("id")

    def columns(self, reveal):
        return [
            ExportColumn("日期", "day", 12, "date"),
            ExportColumn("仓库", "warehouse__name", 20),
            ExportColumn("物资名称", "item__name", 16),
            ExportColumn("规格", "item__specification", 14),
            ExportColumn("单位", "item__unit", 6),
            ExportColumn("类型", "kind_text", 10),
            ExportColumn("数量", "quantity", 10, "number"),
            ExportColumn("结存", "balance_after", 10, "number"),
            ExportColumn("单据", "document", 12),
            ExportColumn("经办人", "actor__full_name", 10),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "day",
            "warehouse__name",
            "item__name",
            "item__specification",
            "item__unit",
            "kind",
            "quantity",
            "balance_after",
            "document_type",
            "document_id",
            "actor__full_name",
        ]
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            row["kind_text"] = KIND_LABELS.get(row["kind"], row["kind"])
            row["document"] = Movement(
                kind=row["kind"], document_type=row["document_type"], document_id=row["document_id"]
            ).document_number
            row["actor__full_name"] = row["actor__full_name"] or ""
            yield row


class RequestExporter(Exporter):
    kind = "supply-requests"
    label = gettext_lazy("Supply requests")
    permission = EXPORT
    target_type = "supply_request"

    def queryset(self, user, filters):
        return (
            selectors.request_queryset(user=user)
            .filter(Q(lines__isnull=False))
            .values(
                "pk",
                "created_at",
                "unit_name",
                "unit_type",
                "area_id",
                "purpose",
                "status",
                "lines__item__name",
                "lines__item__unit",
                "lines__quantity",
                "lines__approved",
                "lines__reason",
            )
            .order_by("-created_at", "-pk", "lines__id")
        )

    def columns(self, reveal):
        return [
            ExportColumn("申请编号", "number", 12),
            ExportColumn("申请时间", "created_at", 18, "datetime"),
            ExportColumn("申请单位", "unit_name", 18),
            ExportColumn("单位类型", "unit_type_text", 10),
            ExportColumn("区划代码", "area_id", 14),
            ExportColumn("用途", "purpose", 24),
            ExportColumn("状态", "status_text", 10),
            ExportColumn("物资名称", "lines__item__name", 16),
            ExportColumn("单位", "lines__item__unit", 6),
            ExportColumn("申请数量", "lines__quantity", 10, "number"),
            ExportColumn("批准数量", "lines__approved", 10, "number"),
            ExportColumn("说明", "lines__reason", 20),
        ]

    def rows(self, queryset, reveal):
        statuses = {
            "submitted": "待审批",
            "approved": "已批准",
            "partly": "部分批准",
            "rejected": "未批准",
            "issued": "已发放",
            "cancelled": "已撤回",
        }
        for row in queryset.iterator(chunk_size=self.chunk_size):
            row["number"] = SupplyRequest(pk=row["pk"]).number
            row["unit_type_text"] = UNIT_LABELS.get(row["unit_type"], row["unit_type"])
            row["status_text"] = statuses.get(row["status"], row["status"])
            yield row


register(ItemImporter)
register(InboundImporter)
register(OutboundImporter)
register(StockExporter)
register(MovementExporter)
register(RequestExporter)
