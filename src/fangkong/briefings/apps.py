from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "fangkong.briefings"
    label = "briefings"
    verbose_name = _("Briefings")

    def ready(self):
        from fangkong.core import navigation as nav

        nav.register(
            nav.NavEntry(
                _("Briefings"),
                "briefings:list",
                "journal-text",
                "briefings.view_briefing",
                order=79,
            ),
        )
