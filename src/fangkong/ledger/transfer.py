"""Excel import of existing key-person ledgers; exports of the ledger, open pushes and 协查.

The import finds each person by ID number (keyed hash) anywhere in the registry and
registers the ones not found in the row's village; a person who already has an open
management period is refused (the ledger holds one open period per person). Rows go
through the same services as the pages, inside the import's one transaction: a ledger file
is thousands of rows, not hundreds of thousands.
"""

import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core.models import Area
from fangkong.core.scope import is_within
from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import (
    Column,
    ExportColumn,
    Exporter,
    Importer,
    RowInvalid,
    identity_fields,
    identity_values,
)
from fangkong.ledger import selectors, services
from fangkong.ledger.forms import KeyPersonFilterForm, OutboundFilterForm, PushFilterForm
from fangkong.ledger.models import Category, KeyPerson, Measure, Push
from fangkong.people.models import Person
from fangkong.people.services import ProtectedValues, person_protect

# The measure column's values, as the districts' ledgers write them (data, not translation).
MEASURE_NAMES = {
    "居家隔离医学观察": Measure.HOME_ISOLATION,
    "居家隔离": Measure.HOME_ISOLATION,
    "集中隔离医学观察": Measure.CENTRAL_ISOLATION,
    "集中隔离": Measure.CENTRAL_ISOLATION,
    "居家健康监测": Measure.HEALTH_MONITORING,
    "健康监测": Measure.HEALTH_MONITORING,
}
MEASURE_LABELS = {
    Measure.HOME_ISOLATION: "居家隔离医学观察",
    Measure.CENTRAL_ISOLATION: "集中隔离医学观察",
    Measure.HEALTH_MONITORING: "居家健康监测",
}
STATE_LABELS = {
    KeyPerson.State.PENDING: "待接收",
    KeyPerson.State.MANAGED: "在管",
    KeyPerson.State.RELEASED: "已解除",
    KeyPerson.State.TRANSFERRED: "已转运",
    KeyPerson.State.REFERRED: "已转诊",
    KeyPerson.State.LOST: "失联",
}
PUSH_STATE_LABELS = {
    Push.State.PENDING: "待接收",
    Push.State.RECEIVED: "已接收",
    Push.State.ANSWERED: "已反馈",
    Push.State.REDIRECTED: "已转派",
    Push.State.CLOSED: "已关闭",
}
ANSWER_LABELS = {Push.Answer.NOT_FOUND: "查无此人", Push.Answer.WRONG_ADDRESS: "地址不符"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    if " " in text:
        text = text.split(" ", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class KeyPersonRow(NamedTuple):
    name: str
    area: str
    category: str
    measure: str
    period_start: datetime.date | None
    origin: str
    address: str
    note: str
    protected: ProtectedValues | None
    id_number: str
    phone: str


class KeyPersonImporter(Importer):
    kind = "keypersons"
    label = gettext_lazy("Key persons")
    permission = "ledger.import_keypersons"
    target_type = "key_person"
    batch_size = 500
    max_rows = 50_000
    columns = (
        Column("name", "姓名", required=True, max_length=50, width=10),
        Column(
            "id_number",
            "身份证号",
            required=True,
            width=22,
            aliases=("身份证号码", "公民身份号码"),
            note=gettext_lazy(
                "18-character citizen ID number; a registered person is found by it, anyone "
                "else is registered in the row's area."
            ),
        ),
        Column("phone", "手机号", width=14, aliases=("手机号码", "联系电话", "电话")),
        Column(
            "area",
            "所属区划代码",
            required=True,
            width=18,
            note=gettext_lazy(
                "Statistics code of the village or community (12 digits) or code of the grid "
                "(15 digits) managing the person; it must lie inside your area."
            ),
        ),
        Column(
            "category",
            "类别",
            required=True,
            width=14,
            aliases=("人员类别",),
            note=gettext_lazy("One of the categories configured by the command."),
        ),
        Column(
            "measure",
            "管控措施",
            width=18,
            choices=tuple(MEASURE_LABELS.values()),
            strict=False,
            aliases=("管控方式",),
            note=gettext_lazy("Blank: the category's default measure."),
        ),
        Column(
            "period_start",
            "开始日期",
            required=True,
            width=12,
            aliases=("观察开始日期", "抵达日期", "返乡日期"),
            note=gettext_lazy("First day of observation, e.g. 2020-02-01; not in the future."),
        ),
        Column("origin", "来自", max_length=200, width=20, aliases=("来源地", "从何地来")),
        Column("address", "住址", max_length=200, width=30, aliases=("现住址", "居住地址")),
        Column("note", "备注", max_length=1000, width=20),
    )

    def prepare(self, run, values):
        errors = {}
        area = values["area"]
        if area and not area.isdigit():
            errors["area"] = _("An area code has digits only")
            area = ""
        start = parse_date(values["period_start"]) if values["period_start"] else None
        if values["period_start"] and start is None:
            errors["period_start"] = _("Write the date as 2020-02-01")
        elif start and start > run.today:
            errors["period_start"] = _("The date cannot be in the future")
        measure = ""
        if values["measure"]:
            measure = MEASURE_NAMES.get(values["measure"].strip(), "")
            if not measure:
                errors["measure"] = _("Unknown measure %(value)s") % {"value": values["measure"]}
        protected = None
        try:
            protected, _derived = person_protect(
                id_number=values["id_number"], phone=values["phone"], today=run.today
            )
        except ValidationError as exc:
            errors.update({key: " ".join(msgs) for key, msgs in exc.message_dict.items()})
        row = KeyPersonRow(
            name=values["name"],
            area=area,
            category=values["category"].strip(),
            measure=measure,
            period_start=start,
            origin=values["origin"],
            address=values["address"],
            note=values["note"],
            protected=protected,
            id_number=values["id_number"],
            phone=values["phone"],
        )
        if errors:
            raise RowInvalid(errors, row=row)
        return row

    def check(self, run, rows):
        categories = run.data.get("categories")
        if categories is None:
            categories = run.data["categories"] = {}
            for category in Category.objects.filter(active=True):
                categories[category.name] = category
                categories[category.code] = category
        areas = run.data.setdefault("areas", {})
        unknown = {row.area for _n, row in rows if row.area} - areas.keys()
        if unknown:
            areas.update(_area_verdicts(run.scope, unknown))
        digests = [row.protected.id_number_hash for _n, row in rows if row.protected]
        open_ones = set(
            KeyPerson.objects.filter(
                person__id_number_hash__in=digests, state__in=selectors.OPEN_KEYPERSON_STATES
            ).values_list("person__id_number_hash", flat=True)
        )
        seen = run.data.setdefault("seen", {})
        for number, row in rows:
            verdict = areas.get(row.area) if row.area else None
            if verdict:
                run.error(number, "area", verdict)
            if row.category and row.category not in categories:
                run.error(
                    number, "category", _("Unknown category %(value)s") % {"value": row.category}
                )
            if not row.protected:
                continue
            digest = row.protected.id_number_hash
            first = seen.setdefault(digest, number)
            if first != number:
                run.error(
                    number,
                    "id_number",
                    _("The same ID number is already in row %(row)d") % {"row": first},
                )
            elif digest in open_ones:
                run.error(
                    number,
                    "id_number",
                    _("This person is already in the ledger awaiting receipt or under management"),
                )

    def write(self, run):
        from fangkong.people.services import person_create

        categories = run.data["categories"]
        areas = {a.code: a for a in Area.objects.filter(code__in={r.area for _n, r in run.rows})}
        count = 0
        for _number, row in run.rows:
            area = areas[row.area]
            person = Person.objects.filter(id_number_hash=row.protected.id_number_hash).first()
            if person is None:
                person = person_create(
                    actor=run.actor,
                    area=area,
                    name=row.name,
                    id_number=row.id_number,
                    phone=row.phone,
                    address=row.address,
                )
            category = categories[row.category]
            services.keyperson_create(
                actor=run.actor,
                person=person,
                area=area,
                category=category,
                measure=row.measure or category.default_measure,
                source=KeyPerson.Source.IMPORT,
                period_start=row.period_start,
                origin=row.origin,
                note=row.note,
                reason=_("Imported from %(file)s") % {"file": run.label} if run.label else "",
            )
            count += 1
        return count


def _area_verdicts(scope: Area, codes: set[str]) -> dict[str, str | None]:
    """None for a village or grid inside the scope, else why the code cannot be used."""
    usable = set(
        Area.objects.within(scope)
        .filter(code__in=codes, level__gte=Area.Level.VILLAGE)
        .values_list("code", flat=True)
    )
    known = set(Area.objects.filter(code__in=codes - usable).values_list("code", flat=True))
    verdicts: dict[str, str | None] = {}
    for code in codes:
        if code in usable:
            verdicts[code] = None
        elif code not in known:
            verdicts[code] = _("Unknown area code %(code)s") % {"code": code}
        elif not is_within(code, scope.code):
            verdicts[code] = _("This area is outside your scope")
        else:
            verdicts[code] = _("Choose a village, community or grid")
    return verdicts


register(KeyPersonImporter)


# -- exports -----------------------------------------------------------------------------------


class KeyPersonExporter(Exporter):
    """The key-person list; its first columns carry the import headers."""

    kind = "keypersons"
    label = gettext_lazy("Key persons")
    permission = "ledger.export_keypersons"
    target_type = "key_person"
    filter_form = KeyPersonFilterForm
    reveal_fields = ("id_number", "phone")

    def queryset(self, user, filters):
        return selectors.keyperson_list(
            user=user, **{k: v for k, v in filters.items() if v not in ("", None)}
        )

    def columns(self, reveal):
        return [
            ExportColumn("姓名", "person__name", 10),
            ExportColumn("身份证号", "id_number", 22),
            ExportColumn("手机号", "phone", 14),
            ExportColumn("所属区划代码", "area_id", 18),
            ExportColumn("类别", "category__name", 14),
            ExportColumn("管控措施", "measure", 18),
            ExportColumn("开始日期", "period_start", 12, "date"),
            ExportColumn("来自", "origin", 20),
            ExportColumn("住址", "person__address", 30),
            ExportColumn("备注", "note", 20),
            ExportColumn("结束日期", "period_end", 12, "date"),
            ExportColumn("状态", "state", 8),
            ExportColumn("来源", "source", 12),
            ExportColumn("所属区划", "area__name", 20),
            ExportColumn("解除日期", "released_on", 12, "date"),
            ExportColumn("解除通知书编号", "release_notice_no", 20),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "person__name",
            "area_id",
            "category__name",
            "measure",
            "period_start",
            "origin",
            "person__address",
            "note",
            "period_end",
            "state",
            "source",
            "area__name",
            "released_on",
            "release_notice_no",
            *identity_fields(reveal, "person__"),
        ]
        sources = {value: str(label) for value, label in KeyPerson.Source.choices}
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            identity_values(row, reveal, "person__")
            row["measure"] = MEASURE_LABELS.get(row["measure"], row["measure"])
            row["state"] = STATE_LABELS.get(row["state"], row["state"])
            row["source"] = sources.get(row["source"], row["source"])
            yield row


class PushExporter(Exporter):
    """The open pushes (pending and answered), for the town and the command."""

    kind = "pushes"
    label = gettext_lazy("Open pushes")
    permission = "ledger.resolve_push"
    target_type = "push"
    filter_form = PushFilterForm
    reveal_fields = ("id_number", "phone")

    def queryset(self, user, filters):
        return selectors.push_open(
            user=user, **{k: v for k, v in filters.items() if v not in ("", None)}
        )

    def columns(self, reveal):
        return [
            ExportColumn("姓名", "name", 10),
            ExportColumn("身份证号", "id_number", 22),
            ExportColumn("手机号", "phone", 14),
            ExportColumn("目的地区划代码", "area_id", 18),
            ExportColumn("目的地", "area__name", 20),
            ExportColumn("详细地址", "address", 30),
            ExportColumn("来自", "origin", 20),
            ExportColumn("抵达时间", "arrived_at", 20, "datetime"),
            ExportColumn("推送时间", "created_at", 20, "datetime"),
            ExportColumn("状态", "state", 8),
            ExportColumn("反馈", "answer", 10),
            ExportColumn("原因", "answer_reason", 30),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "name",
            "area_id",
            "area__name",
            "address",
            "origin",
            "arrived_at",
            "created_at",
            "state",
            "answer",
            "answer_reason",
            *identity_fields(reveal),
        ]
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            identity_values(row, reveal)
            row["state"] = PUSH_STATE_LABELS.get(row["state"], row["state"])
            row["answer"] = ANSWER_LABELS.get(row["answer"], row["answer"])
            yield row


class OutboundExporter(Exporter):
    """The 协查 list: travellers bound for places outside the district."""

    kind = "outbound"
    label = gettext_lazy("Outbound notices")
    permission = "ledger.view_outbound"
    target_type = "outbound"
    filter_form = OutboundFilterForm
    reveal_fields = ("id_number", "phone")

    def queryset(self, user, filters):
        return selectors.outbound_list(
            user=user, **{k: v for k, v in filters.items() if v not in ("", None)}
        )

    def columns(self, reveal):
        return [
            ExportColumn("姓名", "name", 10),
            ExportColumn("身份证号", "id_number", 22),
            ExportColumn("手机号", "phone", 14),
            ExportColumn("来自", "origin", 20),
            ExportColumn("目的地", "destination", 30),
            ExportColumn("目的地区划代码", "destination_region", 14),
            ExportColumn("通过时间", "passed_at", 20, "datetime"),
            ExportColumn("登记单位", "area__name", 20),
            ExportColumn("协查函已发送", "sent_at", 20, "datetime"),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "name",
            "origin",
            "destination",
            "destination_region",
            "passed_at",
            "area__name",
            "sent_at",
            *identity_fields(reveal),
        ]
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            identity_values(row, reveal)
            yield row


register(KeyPersonExporter)
register(PushExporter)
register(OutboundExporter)
