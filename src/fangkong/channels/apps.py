from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "fangkong.channels"
    label = "channels"
    verbose_name = _("Notification channels")

    def ready(self):
        from fangkong.channels.services import notifications_forward
        from fangkong.core import navigation
        from fangkong.inbox.services import on_notifications_written

        on_notifications_written(notifications_forward)
        navigation.register(
            navigation.NavEntry(
                _("Notification channels"),
                "channels:channel_list",
                "broadcast",
                "channels.view_channel",
                section=navigation.ADMIN,
                order=60,
                active_prefix="channels:",
            )
        )
