from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "fangkong.donations"
    label = "donations"
    verbose_name = _("Donations")

    def ready(self):
        from fangkong.core import navigation as nav

        nav.register(
            nav.NavEntry(
                _("Donations"),
                "donations:list",
                "gift",
                "donations.view_donation",
                order=86,
            ),
            nav.NavEntry(
                _("Donors"),
                "donations:donor_list",
                "people",
                "donations.view_donor",
                order=87,
            ),
        )
