"""Excel export of daily reports for a date range, through the core transfer framework."""

from django.utils.translation import gettext_lazy

from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import ExportColumn, Exporter
from fangkong.reporting import selectors
from fangkong.reporting.form import COUNT_FIELDS
from fangkong.reporting.forms import ReportFilterForm
from fangkong.reporting.models import DailyReport

# Header texts are the file format (see core.transfer.spec): fixed Chinese.
COUNT_HEADERS = {
    "new_returnees": "新增返乡人员",
    "home_observation": "居家观察人数",
    "centralized_observation": "集中观察人数",
    "fever_referrals": "发热转诊人数",
    "checkpoint_vehicles": "卡口检查车辆",
    "checkpoint_persons": "卡口检查人员",
    "turned_back": "劝返人数",
    "pushes_received": "接收推送人数",
    "supplies_used": "物资消耗",
}


def report_filters(data: dict) -> dict:
    return {
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
        "area": data.get("area") or "",
        "status": data.get("status") or "",
    }


class ReportExporter(Exporter):
    kind = "reporting-reports"
    label = gettext_lazy("Daily reports")
    permission = "reporting.export_reports"
    target_type = "report"
    filter_form = ReportFilterForm

    def queryset(self, user, filters):
        return selectors.report_list(user=user, **report_filters(filters)).order_by(
            "date", "area_id"
        )

    def columns(self, reveal):
        return [
            ExportColumn("日期", "date", 12, "date"),
            ExportColumn("区划代码", "area_id", 14),
            ExportColumn("村（社区）", "area__name", 22),
            ExportColumn("镇（街道）", "area__parent__name", 16),
            ExportColumn("状态", "status", 10),
            ExportColumn("零报告", "is_zero", 8),
            ExportColumn("迟报", "late", 8),
            ExportColumn("上报时间", "submitted_at", 18, "datetime"),
            *[ExportColumn(COUNT_HEADERS[f.key], f.key, 12, "number") for f in COUNT_FIELDS],
            ExportColumn("更正说明", "corrections", 30),
            ExportColumn("工作情况", "narrative", 40),
            ExportColumn("存在问题", "problems", 30),
        ]

    def rows(self, queryset, reveal):
        keys = [column.key for column in self.columns(reveal)]
        statuses = {value: str(label) for value, label in DailyReport.Status.choices}
        for row in queryset.values(*keys).iterator(chunk_size=self.chunk_size):
            row["status"] = statuses.get(row["status"], "")
            row["is_zero"] = "是" if row["is_zero"] else "否"
            row["late"] = "是" if row["late"] else "否"
            row["corrections"] = "；".join(
                f"{COUNT_HEADERS.get(key, key)} {c.get('computed')}→{c.get('value')}"
                f"：{c.get('reason')}"
                for key, c in (row["corrections"] or {}).items()
            )
            yield row


register(ReportExporter)
