"""Personal health-log links (个人健康打卡链接): a signed token naming a key person.

The token holds the key person's id and link version, signed with the project's secret
(django.core.signing, its own salt). It answers only while the person is under management,
the version matches (release or a revocation bumps it) and today is no later than the day
after the period ends; anything else — forged, altered, revoked, expired — is None, which the
pages turn into a 404.
"""

import datetime
import io

import segno
from django.core import signing
from django.utils import timezone

from fangkong.ledger.models import KeyPerson

SALT = "fangkong.monitoring.health-link"


def link_token(key_person: KeyPerson) -> str:
    return signing.dumps({"k": key_person.pk, "v": key_person.link_version}, salt=SALT)


def key_person_for_token(token: str, today: datetime.date | None = None) -> KeyPerson | None:
    try:
        data = signing.loads(token, salt=SALT)
        pk, version = int(data["k"]), int(data["v"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    key_person = KeyPerson.objects.select_related("person").filter(pk=pk).first()
    if key_person is None or key_person.link_version != version:
        return None
    if key_person.state != KeyPerson.State.MANAGED:
        return None
    today = today or timezone.localdate()
    if today > key_person.period_end + datetime.timedelta(days=1):
        return None
    return key_person


def first_name(name: str) -> str:
    """What the public page shows: the given name only (the surname is dropped)."""
    name = name.strip()
    return name[1:] if len(name) >= 2 else name


def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url`, for the page to print or photograph."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True)
    return out.getvalue().decode()
