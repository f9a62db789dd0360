from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "fangkong.directives"
    label = "directives"
    verbose_name = _("Directives")

    def ready(self):
        from fangkong.core import navigation as nav
        from fangkong.inbox.links import register_target

        register_target("directive", "directives:detail")
        register_target("directive_recipient", "directives:received_detail")
        nav.register(
            nav.NavEntry(
                _("Directives sent"),
                "directives:sent_list",
                "send",
                "directives.send_directive",
                order=80,
            ),
            nav.NavEntry(
                _("Directives to sign"),
                "directives:received_list",
                "envelope-paper",
                "directives.sign_directive",
                order=81,
                active_prefix="directives:received_",
            ),
        )
        nav.register_counter(
            nav.HomeCounter(
                _("Directives to sign"),
                "directives:received_list",
                "envelope-paper",
                "directives.sign_directive",
                "fangkong.directives.selectors.to_sign",
                order=60,
            )
        )
