"""Excel exports of the isolation module: residents (stays) and transfers.

Each replays its list's filter form and selector, so an export holds exactly what the list
shows; identifiers are masked unless the user may reveal them (then the access log says so).
"""

from django.utils.translation import gettext_lazy

from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import ExportColumn, Exporter, identity_fields, identity_values
from fangkong.isolation import selectors
from fangkong.isolation.forms import (
    StayFilterForm,
    TransferFilterForm,
    stay_filters,
    transfer_filters,
)
from fangkong.ledger.models import Measure


class ResidentExporter(Exporter):
    kind = "isolation-residents"
    label = gettext_lazy("Isolation site residents")
    # The list's own permission: an export shows what the list shows, masked.
    permission = "isolation.view_stay"
    target_type = "stay"
    filter_form = StayFilterForm
    reveal_fields = ("id_number", "phone")

    def queryset(self, user, filters):
        return selectors.stay_list(user=user, **stay_filters(filters)).order_by(
            "site_id", "room__number", "pk"
        )

    def columns(self, reveal):
        return [
            ExportColumn("姓名", "name", 10),
            ExportColumn("身份证号", "id_number", 22),
            ExportColumn("手机号", "phone", 14),
            ExportColumn("隔离点", "site__name", 20),
            ExportColumn("房间号", "room__number", 8),
            ExportColumn("人员类别", "key_person__category__name", 14),
            ExportColumn("管控措施", "measure", 18),
            ExportColumn("入住时间", "checked_in_at", 18, "datetime"),
            ExportColumn("离开时间", "checked_out_at", 18, "datetime"),
            ExportColumn("离开原因", "checkout_reason", 20),
            ExportColumn("隔离点所属区划", "area__name", 16),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "key_person__person__name",
            *identity_fields(reveal, "key_person__person__"),
            "site__name",
            "room__number",
            "key_person__category__name",
            "key_person__measure",
            "checked_in_at",
            "checked_out_at",
            "checkout_reason",
            "area__name",
        ]
        measures = {value: str(label) for value, label in Measure.choices}
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            identity_values(row, reveal, "key_person__person__")
            row["name"] = row["key_person__person__name"]
            row["measure"] = measures.get(row["key_person__measure"], "")
            yield row


class TransferExporter(Exporter):
    kind = "isolation-transfers"
    label = gettext_lazy("Transfers to isolation sites")
    permission = "isolation.view_transfer"
    target_type = "transfer"
    filter_form = TransferFilterForm

    def queryset(self, user, filters):
        return selectors.transfer_list(user=user, **transfer_filters(filters)).order_by(
            "departed_at", "pk"
        )

    def columns(self, reveal):
        return [
            ExportColumn("姓名", "key_person__person__name", 10),
            ExportColumn("身份证号", "key_person__person__id_number_masked", 22),
            ExportColumn("接送地址", "pickup_address", 24),
            ExportColumn("隔离点", "site__name", 20),
            ExportColumn("车牌号", "vehicle_plate", 10),
            ExportColumn("司机", "driver", 10),
            ExportColumn("随车人员", "escort", 10),
            ExportColumn("出发时间", "departed_at", 18, "datetime"),
            ExportColumn("到达时间", "arrived_at", 18, "datetime"),
            ExportColumn("是否消毒", "disinfected", 8),
            ExportColumn("消毒时间", "disinfected_at", 18, "datetime"),
        ]

    def rows(self, queryset, reveal):
        keys = [column.key for column in self.columns(reveal)]
        for row in queryset.values(*keys).iterator(chunk_size=self.chunk_size):
            row["disinfected"] = "是" if row["disinfected"] else "否"
            yield row


register(ResidentExporter)
register(TransferExporter)
