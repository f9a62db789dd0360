from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    name = "fangkong.checkpoints"
    label = "checkpoints"
    verbose_name = _("Checkpoints")

    def ready(self):
        from fangkong.core import navigation

        navigation.register(
            navigation.NavEntry(
                _("Checkpoints"),
                "checkpoints:checkpoint_list",
                "sign-stop",
                "checkpoints.view_checkpoint",
                order=40,
                active_prefix="checkpoints:checkpoint_",
            ),
            navigation.NavEntry(
                _("Checkpoint registrations"),
                "checkpoints:registration_list",
                "card-checklist",
                "checkpoints.view_vehiclecheck",
                order=41,
                active_prefix="checkpoints:registration_",
            ),
        )
        navigation.register_panel(
            navigation.HomePanel(
                "checkpoints/home_panel.html",
                "checkpoints.add_vehiclecheck",
                context="fangkong.checkpoints.selectors.home_panel",
                order=20,
            )
        )
