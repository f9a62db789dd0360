"""Excel import of donation ledgers (捐赠台账) and exports of donations and donors.

The import takes one row per donation line: rows with the same donor, donor kind, date and
receiving unit are one donation. Its money is written on one of those rows (an amount on a
second row is an error naming the first, so a ledger that repeats the amount on every line is
not counted twice). A donor is found among the donors registered at the receiving unit or
above it by credit code, else by kind and name, and registered at the receiving unit when
not found. Items are matched by name (and specification when given) in the supplies
catalogue; an unknown item is an error with its row and column. As everywhere, one error and
nothing is written.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core import pii
from fangkong.core.models import Area
from fangkong.core.phone import normalize_phone
from fangkong.core.scope import ancestor_codes
from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import Column, ExportColumn, Exporter, Importer, RowInvalid
from fangkong.donations import selectors, services
from fangkong.donations.forms import DonationFilterForm, DonorFilterForm, donation_filters
from fangkong.donations.models import Channel, Designation, Donor
from fangkong.donations.validators import normalize_credit_code

# The ledgers' words (data, not translation).
KIND_WORDS = {
    "企业": Donor.Kind.ENTERPRISE,
    "公司": Donor.Kind.ENTERPRISE,
    "社会组织": Donor.Kind.ORGANISATION,
    "组织": Donor.Kind.ORGANISATION,
    "单位": Donor.Kind.ORGANISATION,
    "机构": Donor.Kind.ORGANISATION,
    "个人": Donor.Kind.INDIVIDUAL,
    "enterprise": Donor.Kind.ENTERPRISE,
    "organisation": Donor.Kind.ORGANISATION,
    "individual": Donor.Kind.INDIVIDUAL,
}
KIND_LABELS = {
    Donor.Kind.ENTERPRISE: "企业",
    Donor.Kind.ORGANISATION: "社会组织",
    Donor.Kind.INDIVIDUAL: "个人",
}
CHANNEL_WORDS = {
    "银行转账": Channel.BANK,
    "转账": Channel.BANK,
    "银行": Channel.BANK,
    "微信": Channel.WECHAT,
    "微信支付": Channel.WECHAT,
    "支付宝": Channel.ALIPAY,
    "现金": Channel.CASH,
    "红十字会": Channel.RED_CROSS,
    "红十字会账户": Channel.RED_CROSS,
    "慈善总会": Channel.CHARITY,
    "慈善总会账户": Channel.CHARITY,
    "其他": Channel.OTHER,
}
CHANNEL_LABELS = {
    Channel.BANK: "银行转账",
    Channel.WECHAT: "微信",
    Channel.ALIPAY: "支付宝",
    Channel.CASH: "现金",
    Channel.RED_CROSS: "红十字会账户",
    Channel.CHARITY: "慈善总会账户",
    Channel.OTHER: "其他",
}
YES = {"是", "y", "yes", "1", "true", "√", "匿名", "同意"}
NO = {"", "否", "n", "no", "0", "false", "×"}
UNDESIGNATED_WORDS = {"", "非定向", "不定向", "无"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def parse_date(text: str) -> datetime.date | None:
    text = text.strip().split(" ", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _number(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    return Decimal(text)


class LineRow(NamedTuple):
    donor: str
    kind: str
    credit_code: str
    contact_name: str
    phone: str
    anonymous: bool
    disclose_name: bool
    area: str
    received_on: datetime.date | None
    amount: Decimal | None
    channel: str
    designation: str
    purpose: str
    item: str
    specification: str
    quantity: Decimal | None
    value: Decimal | None
    note: str

    @property
    def group(self) -> tuple:
        return (self.donor, self.kind, self.received_on, self.area)


class DonationImporter(Importer):
    kind = "donations"
    label = gettext_lazy("Donations")
    permission = selectors.IMPORT
    target_type = "donation"
    batch_size = 500
    max_rows = 20_000
    columns = (
        Column(
            "donor",
            "捐赠方",
            required=True,
            max_length=100,
            width=24,
            aliases=("捐赠单位", "捐赠人", "捐赠者", "捐赠单位（个人）"),
        ),
        Column(
            "kind",
            "捐赠方类型",
            required=True,
            width=12,
            choices=("企业", "社会组织", "个人"),
            strict=False,
            aliases=("类型",),
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            width=22,
            aliases=("信用代码",),
            note=gettext_lazy("18 characters, for enterprises and organisations."),
        ),
        Column("contact_name", "联系人", max_length=50, width=10),
        Column("phone", "联系电话", width=14, aliases=("手机号", "电话", "手机号码")),
        Column("anonymous", "是否匿名", width=10, choices=("是", "否"), strict=False),
        Column(
            "disclose_name",
            "同意公开姓名",
            width=12,
            choices=("是", "否"),
            strict=False,
            note=gettext_lazy("For individuals: without consent the public page masks the name."),
        ),
        Column(
            "area",
            "接收单位区划代码",
            width=16,
            note=gettext_lazy(
                "Statistics code of the receiving district or town; empty: your own unit."
            ),
        ),
        Column(
            "received_on",
            "捐赠日期",
            required=True,
            width=12,
            aliases=("接收日期", "日期"),
            note=gettext_lazy("Date received, e.g. 2020-02-10."),
        ),
        Column(
            "amount",
            "捐款金额（元）",
            width=14,
            aliases=("捐款金额", "金额（元）", "金额"),
            note=gettext_lazy(
                "Money, once per donation: rows of the same donor, date and unit are one donation."
            ),
        ),
        Column(
            "channel",
            "捐赠渠道",
            width=12,
            choices=tuple(CHANNEL_LABELS.values()),
            strict=False,
            aliases=("渠道", "捐款方式"),
        ),
        Column(
            "designation",
            "定向用途",
            max_length=200,
            width=20,
            aliases=("用途",),
            note=gettext_lazy("Empty or 非定向 for undesignated money, else what it is for."),
        ),
        Column("item", "物资名称", max_length=100, width=18, aliases=("物资",)),
        Column("specification", "规格", max_length=100, width=12, aliases=("规格型号",)),
        Column("quantity", "数量", width=10),
        Column("value", "估值（元）", width=12, aliases=("价值（元）", "估值", "物资价值")),
        Column("note", "备注", max_length=200, width=20),
    )

    def prepare(self, run, values):
        errors: dict[str, str] = {}
        text = {key: (value or "").strip() for key, value in values.items()}
        kind = KIND_WORDS.get(text["kind"].lower(), "")
        if not kind:
            errors["kind"] = _("Write 企业, 社会组织 or 个人")
        credit_code = ""
        if text["credit_code"]:
            if kind == Donor.Kind.INDIVIDUAL:
                errors["credit_code"] = _(
                    "Only enterprises and organisations have a unified social credit code"
                )
            else:
                try:
                    credit_code = normalize_credit_code(text["credit_code"])
                except ValidationError as exc:
                    errors["credit_code"] = " ".join(exc.messages)
        phone = ""
        if text["phone"]:
            try:
                phone = normalize_phone(text["phone"])
            except ValidationError as exc:
                errors["phone"] = " ".join(exc.messages)
        flags = {}
        for key in ("anonymous", "disclose_name"):
            word = text[key].lower()
            if word in YES:
                flags[key] = True
            elif word in NO:
                flags[key] = False
            else:
                flags[key] = False
                errors[key] = _("Write 是 or 否")
        received_on = parse_date(text["received_on"])
        if received_on is None:
            errors["received_on"] = _("Write the date as 2020-02-10")
        elif received_on > run.today:
            errors["received_on"] = _("The date cannot be in the future")
        numbers: dict[str, Decimal | None] = {}
        for key in ("amount", "quantity", "value"):
            try:
                number = _number(text[key])
            except InvalidOperation:
                errors[key] = _("Enter a number")
                number = None
            else:
                if number is not None and number < 0:
                    errors[key] = _("The value cannot be negative")
                elif number is not None and number != number.quantize(Decimal("0.01")):
                    errors[key] = _("Use at most %(places)d decimal places") % {"places": 2}
            numbers[key] = number
        channel = ""
        if text["channel"]:
            channel = CHANNEL_WORDS.get(text["channel"], "")
            if not channel:
                errors["channel"] = _("Unknown channel")
        amount = numbers["amount"]
        if amount and not channel and "channel" not in errors:
            errors["channel"] = _("Say how the money was received")
        designation = Designation.UNDESIGNATED
        purpose = text["designation"]
        if purpose in UNDESIGNATED_WORDS:
            purpose = ""
        else:
            designation = Designation.DESIGNATED
        quantity = numbers["quantity"]
        if text["item"] and quantity is None and "quantity" not in errors:
            errors["quantity"] = _("Give the quantity of the item")
        if quantity is not None and not text["item"]:
            errors["item"] = _("Name the item of this quantity")
        if quantity is not None and quantity == 0 and "quantity" not in errors:
            errors["quantity"] = _("The quantity must be more than 0")
        if not amount and not text["item"] and not errors:
            errors["amount"] = _("The row has neither money nor goods")
        row = LineRow(
            donor=text["donor"],
            kind=kind,
            credit_code=credit_code,
            contact_name=text["contact_name"],
            phone=phone,
            anonymous=flags["anonymous"],
            disclose_name=flags["disclose_name"],
            area=text["area"],
            received_on=received_on,
            amount=amount or None,
            channel=channel,
            designation=designation,
            purpose=purpose,
            item=text["item"],
            specification=text["specification"],
            quantity=quantity,
            value=numbers["value"],
            note=text["note"],
        )
        if errors:
            raise RowInvalid(errors, row=row)
        return row

    def _areas(self, run) -> dict[str, Area]:
        areas = run.data.get("areas")
        if areas is None:
            areas = run.data["areas"] = {
                a.code: a
                for a in Area.objects.within(run.scope).filter(
                    level__in=[Area.Level.COUNTY, Area.Level.TOWN]
                )
            }
        return areas

    def check(self, run, rows):
        from fangkong.supplies.models import Item

        areas = self._areas(run)
        names = {row.item for _n, row in rows if row.item}
        catalogue: dict[str, list] = {}
        for item in Item.objects.filter(name__in=names, active=True):
            catalogue.setdefault(item.name, []).append(item)
        items = run.data.setdefault("items", {})
        amounts = run.data.setdefault("amounts", {})
        for number, row in rows:
            code = row.area or run.scope.code
            area = areas.get(code)
            if area is None:
                run.error(
                    number,
                    "area" if row.area else None,
                    _("%(code)s is not a district or town inside your scope") % {"code": code},
                )
            if row.item:
                found = [
                    item
                    for item in catalogue.get(row.item, [])
                    if not row.specification or item.specification == row.specification
                ]
                if not found:
                    named = row.item + (f"（{row.specification}）" if row.specification else "")
                    run.error(
                        number,
                        "item",
                        _("Unknown item %(item)s: add it to the supplies catalogue first")
                        % {"item": named},
                    )
                elif len(found) > 1:
                    run.error(
                        number,
                        "specification",
                        _("%(item)s comes in several specifications: name one")
                        % {"item": row.item},
                    )
                else:
                    item = found[0]
                    items[number] = item
                    if (
                        row.quantity is not None
                        and item.countable
                        and row.quantity != row.quantity.to_integral_value()
                    ):
                        run.error(
                            number,
                            "quantity",
                            _("%(item)s is counted in whole %(unit)s")
                            % {"item": item, "unit": item.unit},
                        )
            if row.amount:
                first = amounts.setdefault(row.group, number)
                if first != number:
                    run.error(
                        number,
                        "amount",
                        _("The money of this donation is already in row %(row)d") % {"row": first},
                    )

    def write(self, run):
        areas = self._areas(run)
        items = run.data.get("items") or {}
        groups: dict[tuple, list] = {}
        for number, row in run.rows:
            groups.setdefault(row.group, []).append((number, row))
        donors: dict[tuple, Donor] = {}
        created = 0
        for rows in groups.values():
            first = rows[0][1]
            area = areas[first.area or run.scope.code]
            donor = self._donor(run, donors, area, rows)
            money = next((row for _n, row in rows if row.amount), None)
            purpose = next((row.purpose for _n, row in rows if row.purpose), "")
            services.donation_create(
                actor=run.actor,
                area=area,
                donor=donor,
                received_on=first.received_on,
                amount=money.amount if money else None,
                channel=money.channel if money else "",
                designation=Designation.DESIGNATED if purpose else Designation.UNDESIGNATED,
                purpose=purpose,
                lines=[
                    {
                        "item": items[number],
                        "quantity": row.quantity,
                        "value": row.value,
                        "note": row.note,
                    }
                    for number, row in rows
                    if row.item
                ],
                note="；".join(row.note for _n, row in rows if row.note and not row.item),
            )
            created += 1
        return created

    def _donor(self, run, cache: dict, area: Area, rows) -> Donor:
        first = rows[0][1]
        credit_code = next((row.credit_code for _n, row in rows if row.credit_code), "")
        key = (area.code, first.kind, credit_code or first.donor)
        if key in cache:
            return cache[key]
        known = Donor.objects.filter(area_id__in=ancestor_codes(area.code), kind=first.kind)
        if run.actor is not None:
            known = known.for_user(run.actor)
        if credit_code:
            known = known.filter(Q(credit_code=credit_code) | Q(credit_code="", name=first.donor))
        else:
            known = known.filter(name=first.donor)
        donor = known.order_by("-area_id", "pk").first()
        if donor is None:
            phone = next((row.phone for _n, row in rows if row.phone), "")
            donor = services.donor_create(
                actor=run.actor,
                area=area,
                kind=first.kind,
                name=first.donor,
                credit_code=credit_code,
                contact_name=next((row.contact_name for _n, row in rows if row.contact_name), ""),
                phone=phone,
                anonymous=any(row.anonymous for _n, row in rows),
                disclose_name=any(row.disclose_name for _n, row in rows),
            )
        cache[key] = donor
        return donor


class DonationExporter(Exporter):
    kind = "donations"
    label = gettext_lazy("Donations")
    permission = selectors.EXPORT
    target_type = "donation"
    filter_form = DonationFilterForm

    def queryset(self, user, filters):
        return selectors.donation_list(user=user, **donation_filters(filters)).order_by(
            "received_on", "pk"
        )

    def columns(self, reveal):
        return [
            ExportColumn("编号", "number", 18),
            ExportColumn("接收日期", "received_on", 12, "date"),
            ExportColumn("接收单位", "area__name", 16),
            ExportColumn("捐赠方", "donor__name", 24),
            ExportColumn("捐赠方类型", "kind", 10),
            ExportColumn("是否匿名", "anonymous", 8),
            ExportColumn("公示名称", "public_name", 20),
            ExportColumn("捐款金额（元）", "amount", 14, "number"),
            ExportColumn("捐赠渠道", "channel", 12),
            ExportColumn("定向用途", "purpose", 20),
            ExportColumn("物资估值（元）", "goods_value", 14, "number"),
            ExportColumn("物资种数", "goods_lines", 8, "number"),
            ExportColumn("入库仓库", "warehouse__name", 16),
            ExportColumn("已使用（元）", "money_used", 14, "number"),
            ExportColumn("备注", "note", 20),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "number",
            "received_on",
            "area__name",
            "donor__name",
            "donor__kind",
            "donor__anonymous",
            "donor__disclose_name",
            "amount",
            "channel",
            "designation",
            "purpose",
            "goods_value",
            "goods_lines",
            "warehouse__name",
            "money_used",
            "note",
        ]
        from fangkong.donations.models import public_name

        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            row["kind"] = KIND_LABELS.get(row["donor__kind"], "")
            row["anonymous"] = "是" if row["donor__anonymous"] else "否"
            row["public_name"] = public_name(
                row["donor__kind"],
                row["donor__name"],
                row["donor__anonymous"],
                row["donor__disclose_name"],
            )
            row["channel"] = CHANNEL_LABELS.get(row["channel"], "") if row["amount"] else ""
            row["purpose"] = row["purpose"] or "非定向"
            row["warehouse__name"] = row["warehouse__name"] or ""
            row["amount"] = float(row["amount"])
            row["goods_value"] = float(row["goods_value"])
            row["money_used"] = float(row["money_used"])
            yield row


class DonorExporter(Exporter):
    kind = "donors"
    label = gettext_lazy("Donors")
    permission = selectors.EXPORT
    target_type = "donor"
    filter_form = DonorFilterForm
    reveal_fields = ("phone",)

    def queryset(self, user, filters):
        return selectors.donor_list(
            user=user, q=(filters.get("q") or "").strip(), kind=filters.get("kind") or ""
        )

    def columns(self, reveal):
        return [
            ExportColumn("捐赠方", "name", 24),
            ExportColumn("类型", "kind", 10),
            ExportColumn("统一社会信用代码", "credit_code", 22),
            ExportColumn("联系人", "contact_name", 10),
            ExportColumn("联系电话", "phone", 14),
            ExportColumn("地址", "address", 24),
            ExportColumn("是否匿名", "anonymous", 8),
            ExportColumn("同意公开姓名", "disclose_name", 10),
            ExportColumn("登记单位", "area__name", 16),
            ExportColumn("捐赠次数", "donation_count", 8, "number"),
            ExportColumn("捐款合计（元）", "money_total", 14, "number"),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "name",
            "kind",
            "credit_code",
            "contact_name",
            "phone_masked",
            "address",
            "anonymous",
            "disclose_name",
            "area__name",
            "donation_count",
            "money_total",
        ]
        if reveal:
            fields.append("phone_encrypted")
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            row["phone"] = pii.decrypt(row["phone_encrypted"]) if reveal else row["phone_masked"]
            row["kind"] = KIND_LABELS.get(row["kind"], "")
            row["anonymous"] = "是" if row["anonymous"] else "否"
            row["disclose_name"] = "是" if row["disclose_name"] else "否"
            row["money_total"] = float(row["money_total"] or 0)
            yield row


register(DonationImporter)
register(DonationExporter)
register(DonorExporter)
