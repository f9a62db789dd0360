"""Excel export of one directive's recipient status (签收反馈情况表)."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy

from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import ExportColumn, Exporter
from fangkong.directives import selectors
from fangkong.directives.forms import ReceiptExportForm
from fangkong.directives.models import Feedback, Recipient


class ReceiptExporter(Exporter):
    kind = "directive-receipts"
    label = gettext_lazy("Directive receipts and feedback")
    permission = selectors.SEND
    target_type = "directive"
    filter_form = ReceiptExportForm

    def queryset(self, user, filters):
        directives = selectors.sent_queryset(user=user)
        if filters.get("directive"):
            directives = directives.filter(pk=filters["directive"])
        latest = Feedback.objects.filter(recipient=OuterRef("pk")).order_by("-created_at", "-id")
        return (
            Recipient.objects.filter(directive__in=directives)
            .annotate(latest_text=Subquery(latest.values("text")[:1]))
            .order_by("directive_id", "area_id")
        )

    def columns(self, reveal):
        return [
            ExportColumn("文号", "directive__number", 20),
            ExportColumn("标题", "directive__title", 30),
            ExportColumn("接收单位", "area__name", 22),
            ExportColumn("区划代码", "area_id", 16),
            ExportColumn("签收状态", "signed", 10),
            ExportColumn("签收人", "signed_by__full_name", 10),
            ExportColumn("签收时间", "signed_at", 18, "datetime"),
            ExportColumn("反馈次数", "feedback_count", 10, "number"),
            ExportColumn("最近反馈时间", "last_feedback_at", 18, "datetime"),
            ExportColumn("是否逾期", "late", 10),
            ExportColumn("最近反馈内容", "latest_text", 40),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "directive__number",
            "directive__title",
            "directive__deadline",
            "area__name",
            "area_id",
            "signed_at",
            "signed_by__full_name",
            "feedback_count",
            "last_feedback_at",
            "latest_text",
        ]
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            row["signed"] = "已签收" if row["signed_at"] else "未签收"
            deadline = row["directive__deadline"]
            answered = row["last_feedback_at"]
            if answered is None:
                row["late"] = "未反馈"
            else:
                row["late"] = "逾期" if answered > deadline else "按时"
            row["latest_text"] = row["latest_text"] or ""
            row["signed_by__full_name"] = row["signed_by__full_name"] or ""
            yield row


register(ReceiptExporter)
