from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "fangkong.command"
    label = "command"
    verbose_name = _("Command")

    def ready(self):
        from fangkong.core import navigation as nav

        S = "fangkong.command.selectors."
        nav.register(
            nav.NavEntry(
                _("Dashboard"),
                "command:dashboard",
                "display",
                "command.view_dashboard",
                order=2,
                active_prefix="command:dashboard",
            )
        )
        # "What needs my action today": pushes awaiting receipt are the ledger's home panel
        # and open alerts the monitoring's counter; these two had no figure on the home page.
        nav.register_counter(
            nav.HomeCounter(
                _("Missing health logs today"),
                "monitoring:missing",
                "exclamation-diamond",
                "monitoring.view_healthlog",
                S + "missing_today_queryset",
                order=51,
            ),
            nav.HomeCounter(
                _("Due for release"),
                "monitoring:release_list",
                "box-arrow-right",
                "ledger.release_keyperson",
                S + "release_due_queryset",
                order=52,
            ),
        )
