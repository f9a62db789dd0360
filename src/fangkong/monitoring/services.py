"""Alerts (here), health logs, follow-ups, samples and release (added beside them)."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core.models import Area
from fangkong.inbox.models import Notification
from fangkong.inbox.services import notification_notify
from fangkong.ledger.models import KeyPerson
from fangkong.monitoring.models import Alert


def is_fever(temperature: Decimal) -> bool:
    return Decimal(temperature) >= Decimal(str(settings.FANGKONG_FEVER_THRESHOLD))


@transaction.atomic
def alert_raise(
    *,
    area: Area | str,
    kind: str,
    level: int,
    subject_name: str,
    key_person: KeyPerson | None = None,
    detail: str = "",
    temperature: Decimal | None = None,
    source_type: str = "",
    source_id: str | int = "",
) -> Alert:
    """Raise an alert and tell the doctors and the town who handle alerts for `area`."""
    alert = Alert(
        area_id=area if isinstance(area, str) else area.code,
        kind=kind,
        level=level,
        subject_name=subject_name,
        key_person=key_person,
        detail=detail[:300],
        temperature=temperature,
        source_type=source_type,
        source_id=str(source_id),
    )
    alert.full_clean()
    alert.save()
    title = _("%(kind)s: %(name)s") % {"kind": alert.get_kind_display(), "name": subject_name}
    if temperature is not None:
        title = f"{title} {temperature} °C"
    notification_notify(
        area=alert.area_id,
        permission="monitoring.handle_alert",
        kind=Notification.Kind.ALERT,
        title=title,
        body=detail,
        target_type="alert",
        target_id=alert.pk,
    )
    return alert
