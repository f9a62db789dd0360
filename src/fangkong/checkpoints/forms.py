import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.checkpoints import selectors
from fangkong.checkpoints.models import Checkpoint, Outcome
from fangkong.checkpoints.services import parse_shifts
from fangkong.core.forms import BootstrapForm, DateInput, FastSelect, area_in_scope
from fangkong.core.models import Area

# Users offered as a checkpoint's staff, at most this many (the select stays usable).
STAFF_OPTIONS_LIMIT = 300
# A counts page covers at most this many days.
COUNTS_MAX_DAYS = 62


def checkpoint_area_choices(user) -> list[tuple[str, str]]:
    """Towns, villages and grids of the user's scope, indented by level."""
    choices = [("", _("Choose an area"))]
    if not user.scope_id:
        return choices
    rows = (
        Area.objects.for_user(user)
        .filter(level__gte=Area.Level.TOWN)
        .order_by("code")
        .values_list("code", "name", "level")
    )
    choices += [(code, "\u3000" * (level - Area.Level.TOWN) + name) for code, name, level in rows]
    return choices


def staff_choices(user) -> list[tuple[str, str]]:
    """Active users of the scope who may register at checkpoints."""
    users = (
        get_user_model()
        .objects.for_user(user)
        .filter(
            is_active=True,
            groups__permissions__codename="add_vehiclecheck",
            groups__permissions__content_type__app_label="checkpoints",
        )
        .select_related("scope")
        .distinct()
        .order_by("scope_id", "username")[:STAFF_OPTIONS_LIMIT]
    )
    return [(str(u.pk), f"{u.display_name} · {u.scope.name if u.scope else ''}") for u in users]


class CheckpointForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    level = forms.TypedChoiceField(label=_("Level"), choices=Checkpoint.Level.choices, coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=Checkpoint.Kind.choices)
    area = forms.ChoiceField(label=_("Area"), widget=FastSelect)
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    is_open = forms.BooleanField(label=_("In service"), required=False, initial=True)
    staff = forms.MultipleChoiceField(
        label=_("Staff"), required=False, widget=forms.CheckboxSelectMultiple
    )
    shifts = forms.CharField(
        label=_("Shifts"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "白班 08:00-20:00\n夜班 20:00-08:00"}
        ),
        help_text=_("One shift a line: name, start and end, such as “白班 08:00-20:00”."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].choices = checkpoint_area_choices(user)
        self.fields["staff"].choices = staff_choices(user)

    def clean_area(self):
        area = area_in_scope(self.user, self.cleaned_data["area"])
        if area is None:
            raise ValidationError(_("Choose an area inside your scope."))
        return area

    def clean_staff(self):
        ids = [int(pk) for pk in self.cleaned_data["staff"]]
        return list(get_user_model().objects.for_user(self.user).filter(pk__in=ids))

    def clean_shifts(self):
        try:
            return parse_shifts(self.cleaned_data["shifts"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["shifts"]) from None


class CheckpointFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("Name or location"), "type": "search"}),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), ("open", _("in service")), ("closed", _("closed"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)


def checkpoint_choices(user) -> list[tuple[str, str]]:
    rows = selectors.checkpoint_queryset(user=user).values_list("pk", "name")
    return [
        ("", _("All checkpoints")),
        *((str(pk), name) for pk, name in rows.order_by("level", "name")),
    ]


class RegistrationFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, plate, full ID number or phone"), "type": "search"}
        ),
    )
    checkpoint = forms.TypedChoiceField(
        label=_("Checkpoint"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *Outcome.choices]
    )
    pushed = forms.ChoiceField(
        label=_("Pushed"),
        required=False,
        choices=[("", _("All")), ("yes", _("pushed")), ("no", _("not pushed"))],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].choices = checkpoint_choices(user)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def selector_kwargs(self) -> dict:
        return registration_filter_kwargs(self.cleaned_data)

    @property
    def has_extra_filters(self) -> bool:
        return any(
            self.data.get(n) for n in ("checkpoint", "outcome", "pushed", "date_from", "date_to")
        )


def registration_filter_kwargs(data: dict) -> dict:
    """selectors.registration_list's arguments from the cleaned filters (list and export)."""
    return {
        "q": data.get("q") or "",
        "checkpoint": data.get("checkpoint"),
        "outcome": data.get("outcome") or "",
        "pushed": {"yes": True, "no": False}.get(data.get("pushed") or ""),
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
    }


class CountsFilterForm(BootstrapForm):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    checkpoint = forms.TypedChoiceField(
        label=_("Checkpoint"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].choices = checkpoint_choices(user)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("date_to") or today
        start = data.get("date_from") or end
        if start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        elif (end - start).days >= COUNTS_MAX_DAYS:
            self.add_error(
                "date_from",
                _("Choose at most %(days)d days.") % {"days": COUNTS_MAX_DAYS},
            )
        data["date_from"], data["date_to"] = start, end
        return data


def default_counts_range() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today, today
