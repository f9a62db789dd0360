from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "fangkong.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from django.core.exceptions import ImproperlyConfigured

        from fangkong.core import navigation as nav
        from fangkong.monitoring.services import slot_windows

        # A malformed FANGKONG_LOG_SLOTS stops start-up, like every other setting.
        try:
            slot_windows()
        except ValueError as exc:
            raise ImproperlyConfigured(str(exc)) from exc

        nav.register(
            nav.NavEntry(
                _("Health logs"),
                "monitoring:log_today",
                "thermometer-half",
                "monitoring.add_healthlog",
                order=50,
                active_prefix="monitoring:log_",
            ),
            nav.NavEntry(
                _("Missing logs"),
                "monitoring:missing",
                "exclamation-diamond",
                "monitoring.view_healthlog",
                order=51,
                active_prefix="monitoring:missing",
            ),
            nav.NavEntry(
                _("Alerts"),
                "monitoring:alert_list",
                "bell",
                "monitoring.view_alert",
                order=52,
                active_prefix="monitoring:alert_",
            ),
            nav.NavEntry(
                _("Samples"),
                "monitoring:sample_list",
                "droplet",
                "monitoring.view_sample",
                order=53,
                active_prefix="monitoring:sample_",
            ),
            nav.NavEntry(
                _("Due for release"),
                "monitoring:release_list",
                "box-arrow-right",
                "monitoring.view_healthlog",
                order=54,
                active_prefix="monitoring:release_",
            ),
        )
        nav.register_counter(
            nav.HomeCounter(
                _("Open alerts"),
                "monitoring:alert_list",
                "bell",
                "monitoring.view_alert",
                "fangkong.monitoring.selectors.alert_open_queryset",
                order=50,
            )
        )
        # The periodic reminder task registers with Huey when its module is imported.
        from fangkong.monitoring import tasks  # noqa: F401
