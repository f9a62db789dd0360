"""Form plumbing shared by the HTML views: Bootstrap widgets, area choices, service errors."""

import datetime
from html import escape

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import AccessLog, Area


class FastSelect(forms.Select):
    """A select whose options are rendered in Python.

    Django renders each option through a template, about 0.3 ms apiece: 150 ms for the
    500 villages of a district, on every list page that filters by area.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}

        def option(option_value, label) -> str:
            option_value = "" if option_value is None else str(option_value)
            mark = " selected" if option_value in selected else ""
            return f'<option value="{escape(option_value)}"{mark}>{escape(str(label))}</option>'

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                inner = "".join(option(v, lbl) for v, lbl in label)
                parts.append(f'<optgroup label="{escape(str(option_value))}">{inner}</optgroup>')
            else:
                parts.append(option(option_value, label))
        # Every value and label above went through escape().
        return mark_safe(f"<select{flatatt(final)}>{''.join(parts)}</select>")  # noqa: S308


class BootstrapForm(forms.Form):
    """A plain Form whose widgets carry Bootstrap 5 classes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def add_service_errors(form: forms.Form, exc: ValidationError, default_field=None) -> None:
    """Show a service's ValidationError on the form fields it names.

    Keys the form has no field for (a model field the service validated) become errors of
    `default_field`, or of the whole form.
    """
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            target = key if key in form.fields else default_field
            if key == NON_FIELD_ERRORS:
                target = default_field
            form.add_error(target, messages)
    else:
        form.add_error(default_field, exc.messages)


def posted(request):
    """The data to bind a form to: the POST body on POST, even empty; None otherwise."""
    return request.POST if request.method == "POST" else None


def form_status(request, form) -> int:
    """400 for a submitted form that was refused, so clients and tests see the refusal."""
    return 400 if request.method == "POST" and form.errors else 200


def _indent(name: str, level: int, top_level: int) -> str:
    return "\u3000" * max(0, level - top_level) + name


def area_filter_choices(user, *, blank_label=None) -> list[tuple[str, str]]:
    """Areas a list may be filtered by: the scope and its subtree down to villages.

    Grids are offered only to users whose scope is a village or a grid, which keeps the
    select short for a district (hundreds of villages, a thousand grids).
    """
    choices = [("", blank_label or _("All areas"))]
    if not user.scope_id:
        return choices
    scope_level = user.scope.level
    deepest = Area.Level.GRID if scope_level >= Area.Level.VILLAGE else Area.Level.VILLAGE
    areas = (
        Area.objects.for_user(user)
        .filter(level__lte=deepest)
        .order_by("code")
        .values_list("code", "name", "level")
    )
    choices += [(code, _indent(name, level, scope_level)) for code, name, level in areas]
    return choices


class AreaFilterField(forms.ChoiceField):
    """An area of the user's scope to narrow a list to; anything else is an invalid choice."""

    widget = FastSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Area"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def configure(self, user, value) -> None:
        choices = area_filter_choices(user)
        if value and value not in {code for code, _label in choices}:
            # A grid linked from the area tree is valid although the select stops at villages.
            area = area_in_scope(user, value)
            if area is not None:
                choices.append((area.code, area.name))
        self.choices = choices


def area_in_scope(user, code: str) -> Area | None:
    if not code or not code.isdigit():
        return None
    return Area.objects.for_user(user).filter(code=code).first()


def registration_area_choices(user) -> list:
    """Villages and grids inside the user's scope, grouped by village, for a select."""
    rows = (
        Area.objects.for_user(user)
        .filter(level__gte=Area.Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name", "level", "parent__name")
    )
    groups: dict[str, list] = {}
    labels: dict[str, str] = {}
    no_grid = _("%(village)s (no grid)")
    for code, name, level, parent_name in rows:
        village_code = code[:12]
        if level == Area.Level.VILLAGE:
            labels[village_code] = name
            groups.setdefault(village_code, []).insert(0, (code, no_grid % {"village": name}))
        else:
            labels.setdefault(village_code, parent_name or village_code)
            groups.setdefault(village_code, []).append((code, name))
    choices = [("", _("Choose a village or grid"))]
    choices += [(labels[code], options) for code, options in groups.items()]
    return choices


def scope_area_choices(user) -> list:
    """The user's scope and every area below it, indented by level (for user scopes)."""
    rows = list(Area.objects.for_user(user).order_by("code").values_list("code", "name", "level"))
    top = rows[0][2] if rows else Area.Level.PROVINCE
    return [("", _("Choose an area"))] + [
        (code, _indent(name, level, top)) for code, name, level in rows
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AccessLogFilterForm(BootstrapForm):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AccessLog.Action.choices],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    area = AreaFilterField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].configure(user, self.data.get("area"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def apply(self, queryset):
        from fangkong.core.scope import scope_filter

        data = self.cleaned_data
        if data.get("user"):
            queryset = queryset.filter(actor_name__contains=data["user"].strip())
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("date_from"):
            queryset = queryset.filter(at__gte=day_start(data["date_from"]))
        if data.get("date_to"):
            next_day = data["date_to"] + datetime.timedelta(days=1)
            queryset = queryset.filter(at__lt=day_start(next_day))
        if data.get("area"):
            queryset = queryset.filter(scope_filter("area", data["area"]))
        return queryset
