"""Builders for the directives tests."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.directives.services import directive_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="通知.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def in_days(days=3) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def directive(actor, areas, *, title="关于加强返乡人员排查的通知", send=True, roles=None, **extra):
    extra.setdefault("deadline", in_days())
    return directive_create(
        actor=actor,
        title=title,
        body=extra.pop("body", "各单位：请于规定时间内完成排查并反馈。"),
        areas=list(areas),
        roles=roles or ["town_admin", "village_staff"],
        send=send,
        **extra,
    )


def recipient(directive, area):
    return directive.recipients.get(area=area)


def statuses(client_for, who: dict, url: str, method: str = "get", data=None) -> dict:
    """{name: status} of `url` for each user of `who`."""
    found = {}
    for name, user in who.items():
        response = getattr(client_for(user), method)(url, data or {})
        found[name] = response.status_code
    return found


def matrix(users) -> dict:
    """Outsider, wrong scope, right scope without a role, and the roles of the module."""
    return {
        "outsider": users.outsider,
        "other_town": users.other_town,
        "norole": users.norole,
        "grid": users.grid,
        "village": users.village,
        "town": users.town,
        "command": users.command,
    }
