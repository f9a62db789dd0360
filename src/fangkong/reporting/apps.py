from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "fangkong.reporting"
    label = "reporting"
    verbose_name = _("Daily reports")

    def ready(self):
        from fangkong.core import navigation
        from fangkong.inbox.links import register_target

        register_target("report", "reporting:report_detail")
        register_target("report_due", "reporting:due")
        navigation.register(
            navigation.NavEntry(
                _("Daily reports"),
                "reporting:home",
                "clipboard-data",
                "reporting.view_dailyreport",
                order=80,
                active_prefix="reporting:",
            )
        )
