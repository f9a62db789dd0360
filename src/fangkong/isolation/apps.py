from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IsolationConfig(AppConfig):
    name = "fangkong.isolation"
    label = "isolation"
    verbose_name = _("Centralized isolation")

    def ready(self):
        from fangkong.core import navigation

        navigation.register(
            navigation.NavEntry(
                _("Isolation sites"),
                "isolation:site_list",
                "building-check",
                "isolation.view_site",
                order=70,
                active_prefix="isolation:",
            )
        )
