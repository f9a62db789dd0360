from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "fangkong.ledger"
    label = "ledger"
    verbose_name = _("Key-person ledger")

    def ready(self):
        from fangkong.core import navigation as nav

        S = "fangkong.ledger.selectors."
        nav.register(
            nav.NavEntry(
                _("Awaiting receipt"),
                "ledger:push_pending",
                "inbox",
                "ledger.receive_push",
                order=40,
                active_prefix="ledger:push_pending",
            ),
            nav.NavEntry(
                _("Open pushes"),
                "ledger:push_open",
                "signpost-split",
                "ledger.resolve_push",
                order=41,
                active_prefix="ledger:push_o",
            ),
            nav.NavEntry(
                _("Key persons"),
                "ledger:keyperson_list",
                "journal-medical",
                "ledger.view_keyperson",
                order=42,
                active_prefix="ledger:keyperson_",
            ),
            nav.NavEntry(
                _("My persons"),
                "ledger:keyperson_mine",
                "person-heart",
                "ledger.view_keyperson",
                order=43,
                active_prefix="ledger:keyperson_mine",
            ),
            nav.NavEntry(
                _("Outbound notices"),
                "ledger:outbound_list",
                "box-arrow-up-right",
                "ledger.view_outbound",
                order=44,
                active_prefix="ledger:outbound_",
            ),
            nav.NavEntry(
                _("Loop settings"),
                "ledger:policy_edit",
                "sliders",
                "ledger.change_policy",
                section=nav.ADMIN,
                order=40,
                active_prefix="ledger:policy_",
            ),
        )
        nav.register_counter(
            nav.HomeCounter(
                _("Under management"),
                "ledger:keyperson_list",
                "journal-medical",
                "ledger.view_keyperson",
                S + "keyperson_managed",
                order=30,
            ),
        )
        nav.register_panel(
            nav.HomePanel("ledger/home_panel.html", "ledger.view_push", S + "home_panel", order=20)
        )
