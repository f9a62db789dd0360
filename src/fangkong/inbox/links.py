"""Where a notification's one-click action is: its target's page, resolved when shown.

Resolving at render time keeps links right when URLs change, and lets a module's notifications
be sent before its pages exist: an unknown name falls back to the notification's own `url`,
then to the inbox.
"""

from django.urls import NoReverseMatch, reverse

# target_type -> URL name taking `pk`. Modules may add theirs with `register_target`.
TARGETS: dict[str, str] = {
    "push": "ledger:push_detail",
    "key_person": "ledger:keyperson_detail",
    "alert": "monitoring:alert_detail",
    "checkpoint": "checkpoints:checkpoint_detail",
    "site": "isolation:site_detail",
}


def register_target(target_type: str, url_name: str) -> None:
    TARGETS[target_type] = url_name


def target_url(notification) -> str:
    url_name = TARGETS.get(notification.target_type)
    if url_name and notification.target_id:
        try:
            return reverse(url_name, kwargs={"pk": notification.target_id})
        except NoReverseMatch:
            pass
    if (
        notification.url
        and notification.url.startswith("/")
        and not notification.url.startswith("//")
    ):
        # Only paths of this site: a stored URL must not send anyone elsewhere.
        return notification.url
    return reverse("inbox:list")
