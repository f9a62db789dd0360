from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fangkong.core"
    label = "core"
    verbose_name = "core"

    def ready(self):
        from fangkong.core.transfer import registry

        registry.autodiscover()
