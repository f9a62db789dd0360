"""Template helpers of the Fangkong UI: `{% load fangkong %}`."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms, template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.roles import ROLES
from fangkong.core import numbers
from fangkong.core.models import Area
from fangkong.core.regions import region_name

register = template.Library()


@register.filter
def age(birth_date: datetime.date | None):
    """Whole years since the birth date, or None when unknown."""
    if not birth_date:
        return None
    today = timezone.localdate()
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


@register.filter
def money(value) -> str:
    """core.numbers.money for templates: — when empty, the text itself when not a number."""
    if value is None or value == "":
        return "—"
    try:
        return numbers.money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def region(code: str) -> str:
    return region_name(code) if code else ""


@register.filter
def minutes(value: datetime.timedelta | None):
    if not value:
        return 0
    return int(value.total_seconds() // 60)


@register.filter
def role_label(name: str) -> str:
    return str(ROLES[name][0]) if name in ROLES else name


@register.filter
def field_labels(names: str) -> str:
    """ "id_number,phone" as the user reads it ("ID number, phone")."""
    labels = {"id_number": _("ID number"), "phone": _("Phone")}
    return ", ".join(str(labels.get(n.strip(), n.strip())) for n in names.split(",") if n.strip())


@register.filter
def message_class(level_tag: str) -> str:
    return {"error": "danger", "debug": "secondary"}.get(level_tag, level_tag or "info")


@register.filter
def elided_pages(page_obj) -> list[int | None]:
    """Page numbers around the current one; None stands for a gap."""
    paginator = page_obj.paginator
    return [
        n if isinstance(n, int) else None
        for n in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    ]


def _widget_class(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        base = "form-check-input"
    elif isinstance(widget, forms.Select):
        base = "form-select"
    else:
        base = "form-control"
    return f"{base} is-invalid" if field.errors else base


@register.inclusion_tag("core/includes/field.html")
def form_field(field, css: str = ""):
    """Label, widget, help text and errors of a bound field, Bootstrap style."""
    widget = field.field.widget
    kind = "input"
    if isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        kind = "choices"
    rendered = "" if kind == "choices" else field.as_widget(attrs={"class": _widget_class(field)})
    return {"field": field, "kind": kind, "widget": rendered, "css": css}


@register.inclusion_tag("core/includes/history.html")
def history_timeline(obj, limit: int = 30):
    """Who changed what and when, newest first; protected values never shown."""
    return {"entries": timeline(obj, limit=limit)}


# Suffixes of the columns that hold one protected value (core.pii): a change shows as
# "changed" under the value's name, never with the value or its ciphertext.
PROTECTED_SUFFIXES = ("_encrypted", "_hash", "_masked")
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "created_by"}


def _protected_base(name: str) -> str:
    for suffix in PROTECTED_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return ""


def _label(model, name: str) -> str:
    for candidate in (name, f"{name}_masked"):
        try:
            return str(model._meta.get_field(candidate).verbose_name)
        except Exception:  # noqa: S112 - FieldDoesNotExist: try the next spelling
            continue
    return name


def timeline(obj, *, limit: int = 30) -> list[dict]:
    """History records of `obj` (django-simple-history) as display rows, newest first.

    One query for the records (with their users) and one for the area names they mention;
    the oldest shown record is diffed against one more fetched record.
    """
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    model = type(obj)
    rows = []
    area_codes = set()
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if record.history_type == "~" and previous is not None:
            seen_protected = set()
            for field in record.tracked_fields:
                name = field.attname
                if field.name in SKIPPED_FIELDS or name in SKIPPED_FIELDS:
                    continue
                old, new = getattr(previous, name), getattr(record, name)
                if old == new:
                    continue
                base = _protected_base(field.name)
                if base:
                    # Ciphertext changes on every save (Fernet's random IV); the keyed hash
                    # changes only when the value does.
                    key = f"{base}_hash" if hasattr(record, f"{base}_hash") else field.attname
                    if base not in seen_protected and getattr(previous, key) != getattr(
                        record, key
                    ):
                        seen_protected.add(base)
                        changes.append(
                            {"label": _label(model, base), "field": base, "protected": True}
                        )
                    continue
                change = {
                    "label": _label(model, field.name),
                    "field": field.name,
                    "old": old,
                    "new": new,
                    "protected": False,
                }
                if field.choices:
                    choices = dict(field.flatchoices)
                    change["old"] = choices.get(old, old)
                    change["new"] = choices.get(new, new)
                if getattr(field, "related_model", None) is Area:
                    area_codes.update(v for v in (old, new) if v)
                changes.append(change)
        user = record.history_user
        rows.append(
            {
                "at": record.history_date,
                "user": user.display_name if user else "",
                "type": record.history_type,
                "changes": changes,
            }
        )
    if area_codes:
        names = dict(Area.objects.filter(code__in=area_codes).values_list("code", "name"))
        for row in rows:
            for change in row["changes"]:
                if change.get("field") == "area":
                    change["old"] = names.get(change["old"], change["old"])
                    change["new"] = names.get(change["new"], change["new"])
    return rows
