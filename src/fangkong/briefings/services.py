"""Every change to briefings: generating (numbered), regenerating and editing a draft,
approving, publishing.

A briefing's number is taken from its area's counter for the year under a row lock, and the
(area, date) pair is unique, so two clicks on "generate" give one briefing with one number.
The figures are copied into the briefing when it is generated, so the text, the page and the
Word file of an approved or published briefing never change with later data.
"""

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.briefings import content
from fangkong.briefings.models import Briefing, BriefingCounter
from fangkong.command.selectors import figures as command_figures
from fangkong.core.models import Area
from fangkong.core.scope import require_within

DEFAULT_REPORT_TO = "市新冠肺炎疫情防控指挥部"
DEFAULT_SEND_TO = "区委、区政府主要领导，区疫情防控指挥部各成员单位，各街道（镇）"


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def default_office(area: Area) -> str:
    return f"{area.name}新冠肺炎疫情防控指挥部办公室"


def snapshot(*, area_code: str, date: datetime.date) -> dict:
    """The day's figures as the dashboard computes them, in their stored (JSON) form."""
    found = command_figures(area_code=area_code, date_from=date, date_to=date)
    return json.loads(json.dumps(found, cls=DjangoJSONEncoder))


def _search_text(sections: list[dict]) -> str:
    return "\n".join(f"{s['heading']}\n{s['text']}" for s in sections)


def _check_date(date) -> datetime.date:
    if date is None:
        raise _error("date", _("Choose the day of the briefing"), "required")
    if date > timezone.localdate():
        raise _error("date", _("A briefing can't be written for a day still to come"), "future")
    return date


@transaction.atomic
def briefing_generate(*, actor, date: datetime.date, area: Area | None = None):
    """The briefing of `area` (default: the actor's scope) for `date`: generated and numbered
    if the day has none yet, else the existing one. Returns (briefing, created)."""
    if area is None:
        area = getattr(actor, "scope", None)
    if area is None:
        raise _error("area", _("Choose the area of the briefing"), "required")
    require_within(actor, area.code)
    date = _check_date(date)
    # The counter's row lock serialises generation per area and year, so the check below
    # cannot race with another click; the unique (area, date) constraint backs it up.
    year = date.year
    BriefingCounter.objects.get_or_create(area=area, year=year)
    counter = BriefingCounter.objects.select_for_update().get(area=area, year=year)
    existing = Briefing.objects.filter(area=area, date=date).first()
    if existing is not None:
        return existing, False
    figures = snapshot(area_code=area.code, date=date)
    sections = content.write_sections(figures)
    # Offices fill 报/送 once: a new briefing takes them from the area's latest one.
    latest = Briefing.objects.filter(area=area).order_by("-date", "-id").first()
    counter.last += 1
    counter.save(update_fields=["last"])
    briefing = Briefing(
        area=area,
        date=date,
        year=year,
        sequence=counter.last,
        office=latest.office if latest else default_office(area),
        report_to=latest.report_to if latest else DEFAULT_REPORT_TO,
        send_to=latest.send_to if latest else DEFAULT_SEND_TO,
        copies=latest.copies if latest else None,
        sections=sections,
        figures=figures,
        search_text=_search_text(sections),
        created_by=actor,
        generated_at=timezone.now(),
    )
    briefing.full_clean()
    briefing.save()
    return briefing, True


def _draft_for_update(actor, briefing: Briefing) -> Briefing:
    briefing = Briefing.objects.select_for_update().select_related("area").get(pk=briefing.pk)
    require_within(actor, briefing.area_id)
    if briefing.state != Briefing.State.DRAFT:
        raise _error(
            "state", _("Only a draft briefing can be changed; this one is approved"), "state"
        )
    return briefing


@transaction.atomic
def briefing_regenerate(*, actor, briefing: Briefing) -> Briefing:
    """Take the day's figures again and rewrite every section (the office's edits are lost)."""
    briefing = _draft_for_update(actor, briefing)
    briefing.figures = snapshot(area_code=briefing.area_id, date=briefing.date)
    briefing.sections = content.write_sections(briefing.figures)
    briefing.search_text = _search_text(briefing.sections)
    briefing.generated_at = timezone.now()
    briefing.full_clean()
    briefing.save()
    return briefing


MAX_SECTION = 5000


@transaction.atomic
def briefing_update(
    *,
    actor,
    briefing: Briefing,
    texts: dict[str, str],
    office: str,
    report_to: str,
    send_to: str,
    copies: int | None = None,
) -> Briefing:
    """The office's edit of a draft: each section's text (by key), the masthead and 报/送."""
    briefing = _draft_for_update(actor, briefing)
    office = (office or "").strip()
    if not office:
        raise _error("office", _("Name the issuing office"), "required")
    sections = []
    for section in briefing.sections:
        text = texts.get(section["key"], section["text"])
        text = (text or "").strip()
        if not text:
            raise _error(section["key"], _("Write the text of this section"), "required")
        if len(text) > MAX_SECTION:
            raise _error(
                section["key"],
                _("A section holds at most %(count)d characters") % {"count": MAX_SECTION},
                "length",
            )
        sections.append({**section, "text": text})
    if copies is not None and copies < 1:
        raise _error("copies", _("The number of copies must be at least 1"), "min")
    briefing.sections = sections
    briefing.search_text = _search_text(sections)
    briefing.office = office
    briefing.report_to = (report_to or "").strip()
    briefing.send_to = (send_to or "").strip()
    briefing.copies = copies
    briefing.full_clean()
    briefing.save()
    return briefing


@transaction.atomic
def briefing_approve(*, actor, briefing: Briefing) -> Briefing:
    briefing = _draft_for_update(actor, briefing)
    briefing.state = Briefing.State.APPROVED
    briefing.approved_by = actor
    briefing.approved_at = timezone.now()
    briefing.full_clean()
    briefing.save()
    return briefing


@transaction.atomic
def briefing_publish(*, actor, briefing: Briefing) -> Briefing:
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    require_within(actor, briefing.area_id)
    if briefing.state != Briefing.State.APPROVED:
        raise _error("state", _("Only an approved briefing can be published"), "state")
    briefing.state = Briefing.State.PUBLISHED
    briefing.published_by = actor
    briefing.published_at = timezone.now()
    briefing.full_clean()
    briefing.save()
    return briefing
