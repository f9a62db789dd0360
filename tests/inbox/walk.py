"""The inbox's part of the route walker (tests/walk)."""

from fangkong.inbox.models import Notification
from fangkong.inbox.services import notification_send
from tests.walk.test_every_route import MARKER

# The badge answers 204 without a session (htmx polls it; a login page must not be swapped
# into the navigation), and shows only the caller's own count.
PUBLIC = {"inbox:badge"}
# Every user has an inbox; these show or change only the caller's own notifications.
ANY_USER = {"inbox:list", "inbox:read_all", "api-notification-list", "api-notification-read-all"}
PARAMS = [
    (r"^inbox:notification_", lambda w: {"pk": w["notification"].pk}),
    (r"^api-notification-", lambda w: {"pk": w["notification"].pk}),
]


def world(tree, users, base):
    notification_send(
        users=[users.village],
        area=tree.village,
        kind=Notification.Kind.OTHER,
        title=MARKER,
        target_type="key_person",
        target_id=1,
    )
    return {"notification": Notification.objects.get(user=users.village, title=MARKER)}
