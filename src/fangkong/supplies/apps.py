from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "fangkong.supplies"
    label = "supplies"
    verbose_name = _("Supplies")

    def ready(self):
        from fangkong.core import navigation as nav
        from fangkong.inbox.links import register_target

        register_target("supply_warehouse", "supplies:warehouse_detail")
        register_target("supply_request", "supplies:request_detail")
        register_target("supply_outbound", "supplies:outbound_detail")
        nav.register(
            nav.NavEntry(
                _("Warehouses"),
                "supplies:warehouse_list",
                "box-seam",
                "supplies.view_stock",
                order=90,
            ),
            nav.NavEntry(
                _("Supply requests"),
                "supplies:request_list",
                "clipboard-check",
                "supplies.view_supplyrequest",
                order=91,
                active_prefix="supplies:request_",
            ),
            nav.NavEntry(
                _("Supplies received"),
                "supplies:received_list",
                "box-arrow-in-down",
                "supplies.add_supplyrequest",
                order=92,
                active_prefix="supplies:received_",
            ),
        )
        nav.register_counter(
            nav.HomeCounter(
                _("Supply requests to decide"),
                "supplies:request_list",
                "clipboard-check",
                "supplies.approve_request",
                "fangkong.supplies.selectors.to_approve",
                order=70,
            ),
            nav.HomeCounter(
                _("Low-stock items"),
                "supplies:warehouse_list",
                "exclamation-triangle",
                "supplies.issue_stock",
                "fangkong.supplies.selectors.low_stock",
                order=71,
            ),
        )
