from fangkong.inbox.models import Notification
from fangkong.inbox.services import notification_send


def notify(user, area, title="待接收推送", **fields):
    fields.setdefault("kind", Notification.Kind.PUSH)
    notification_send(users=[user], area=area, title=title, **fields)
    return Notification.objects.filter(user=user).order_by("-pk").first()
