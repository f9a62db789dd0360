"""Exports of core's own lists: the area tree and the access log."""

from types import SimpleNamespace

from django.utils.translation import gettext_lazy

from fangkong.core.forms import AccessLogFilterForm, AreaFilterField, BootstrapForm
from fangkong.core.models import AccessLog, Area
from fangkong.core.scope import scope_filter
from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import ExportColumn, Exporter


class AreaExportFilterForm(BootstrapForm):
    """The subtree the area page shows (its `area`), as the page links it."""

    area = AreaFilterField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].configure(user, self.data.get("area"))


class AreaExporter(Exporter):
    kind = "areas"
    label = gettext_lazy("Areas")
    permission = "core.view_area"
    target_type = "area"
    filter_form = AreaExportFilterForm

    def queryset(self, user, filters):
        areas = Area.objects.for_user(user)
        if filters.get("area"):
            areas = areas.filter(scope_filter("code", filters["area"]))
        return areas.order_by("code")

    def columns(self, reveal):
        return [
            ExportColumn("区划代码", "code", 18),
            ExportColumn("名称", "name", 24),
            ExportColumn("级别", "level", 8),
            ExportColumn("上级代码", "parent_id", 18),
            ExportColumn("统计用区划代码", "statistics_code", 18),
        ]

    def rows(self, queryset, reveal):
        levels = {value: str(label) for value, label in Area.Level.choices}
        fields = ("code", "name", "level", "parent_id")
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            code = row["code"]
            row["level"] = levels.get(row["level"], "")
            row["statistics_code"] = code.ljust(12, "0") if len(code) <= 12 else ""
            yield row


class AccessLogExporter(Exporter):
    kind = "accesslog"
    label = gettext_lazy("Access log")
    permission = "core.view_accesslog"
    target_type = "accesslog"
    filter_form = AccessLogFilterForm

    def queryset(self, user, filters):
        entries = AccessLog.objects.for_user(user).select_related("area")
        if not filters:
            return entries
        # The page's form applies its filters from cleaned_data alone; reuse that method on
        # the cleaned values rather than building (and querying for) the form again.
        return AccessLogFilterForm.apply(SimpleNamespace(cleaned_data=filters), entries)

    def columns(self, reveal):
        return [
            ExportColumn("时间", "at", 20, "datetime"),
            ExportColumn("用户", "actor_name", 12),
            ExportColumn("操作", "action", 8),
            ExportColumn("区划代码", "area_id", 18),
            ExportColumn("区划", "area__name", 20),
            ExportColumn("对象类型", "target_type", 12),
            ExportColumn("对象编号", "target_id", 10),
            ExportColumn("对象", "target_label", 24),
            ExportColumn("字段", "fields", 16),
            ExportColumn("行数", "row_count", 8, "number"),
            ExportColumn("IP 地址", "ip_address", 16),
            ExportColumn("客户端", "user_agent", 30),
        ]

    def rows(self, queryset, reveal):
        actions = {value: str(label) for value, label in AccessLog.Action.choices}
        keys = [column.key for column in self.columns(reveal)]
        for row in queryset.values(*keys).iterator(chunk_size=self.chunk_size):
            row["action"] = actions.get(row["action"], row["action"])
            yield row


register(AreaExporter)
register(AccessLogExporter)
