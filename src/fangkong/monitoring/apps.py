from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "fangkong.monitoring"
    label = "monitoring"
