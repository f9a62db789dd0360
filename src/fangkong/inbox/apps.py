from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "fangkong.inbox"
    label = "inbox"
