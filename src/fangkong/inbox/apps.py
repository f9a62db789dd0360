from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "fangkong.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self):
        from fangkong.core import navigation

        navigation.register(
            navigation.NavEntry(_("Inbox"), "inbox:list", "bell", order=5, active_prefix="inbox:")
        )
