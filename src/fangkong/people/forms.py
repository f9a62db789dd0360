from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import (
    AreaFilterField,
    BootstrapForm,
    DateInput,
    FastSelect,
    area_in_scope,
    registration_area_choices,
)
from fangkong.core.scope import scope_filter
from fangkong.people.models import Sex
from fangkong.people.selectors import household_queryset

# Households offered in a person's form: those of the chosen village, at most this many.
HOUSEHOLD_OPTIONS_LIMIT = 300


class PersonFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, initials, full ID number or phone"), "type": "search"}
        ),
    )
    area = AreaFilterField()
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("All")), *Sex.choices])
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=150)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=150)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].configure(user, self.data.get("area"))

    def clean(self):
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The upper age is below the lower age."))
        return data

    @property
    def has_extra_filters(self) -> bool:
        return any(self.data.get(name) for name in ("area", "sex", "age_min", "age_max"))


class HouseholdFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("Head of household or address"), "type": "search"}
        ),
    )
    area = AreaFilterField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].configure(user, self.data.get("area"))


def household_choices(user, area_code: str) -> list[tuple[str, str]]:
    """Households of the village of `area_code` inside the user's scope."""
    choices = [("", _("No household"))]
    if not area_code or not area_code.isdigit() or len(area_code) < 12:
        return choices
    households = (
        household_queryset(user=user)
        .filter(scope_filter("area", area_code[:12]))
        .order_by("head_name", "id")[:HOUSEHOLD_OPTIONS_LIMIT]
    )
    choices += [(str(h.pk), f"{h.head_name} · {h.address}") for h in households]
    return choices


class _AreaForm(BootstrapForm):
    area = forms.ChoiceField(label=_("Village or grid"), widget=FastSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].choices = registration_area_choices(user)

    def clean_area(self):
        # The choice is valid, hence inside the scope; the row may have gone since.
        area = area_in_scope(self.user, self.cleaned_data["area"])
        if area is None:
            raise ValidationError(_("Choose a village or grid inside your scope."))
        return area


class PersonForm(_AreaForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=20,
        help_text=_("18 characters; sex, birth date and native region are taken from it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    household = forms.IntegerField(
        label=_("Household"), required=False, widget=FastSelect(choices=[])
    )
    relation = forms.CharField(
        label=_("Relation to head"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"list": "relation-options"}),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", "—"), *Sex.choices],
        help_text=_("Only needed without an ID number."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=DateInput(),
        help_text=_("Only needed without an ID number."),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=50)
    workplace = forms.CharField(label=_("Workplace"), required=False, max_length=100)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["name", "id_number", "phone", "area", "household", "relation"]

    def __init__(self, *args, user, person=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.person = person
        area_code = self.data.get("area") or self.initial.get("area") or ""
        self.fields["household"].widget.choices = household_choices(user, area_code)
        # Choosing another village reloads the household options (htmx).
        self.fields["area"].widget.attrs.update(
            {
                "hx-get": reverse("people:household_options"),
                "hx-target": "#id_household",
                "hx-trigger": "change",
            }
        )
        if person is not None:
            # The stored values are never put back into the page; blank keeps them.
            self.fields["id_number"].widget.attrs["placeholder"] = person.id_number_masked
            self.fields["id_number"].help_text = _("Leave blank to keep the stored number.")
            self.fields["phone"].widget.attrs["placeholder"] = person.phone_masked
            self.fields["phone"].help_text = _("Leave blank to keep the stored number.")
            if person.id_number_masked:
                # Derived from the stored ID number; the service would overwrite them.
                for name in ("sex", "birth_date"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Taken from the ID number.")

    def clean_household(self):
        pk = self.cleaned_data.get("household")
        if pk is None:
            return None
        household = household_queryset(user=self.user).filter(pk=pk).first()
        if household is None:
            raise ValidationError(_("Choose a household inside your scope."))
        return household

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("The birth date is in the future."))
        return value

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if self.person is not None:
            for name in ("id_number", "phone"):
                if not data[name].strip():
                    data[name] = None
        return data


class HouseholdForm(_AreaForm):
    head_name = forms.CharField(label=_("Head of household"), max_length=50)
    address = forms.CharField(label=_("Address"), max_length=200)
    number = forms.CharField(label=_("Household number"), required=False, max_length=30)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["head_name", "address", "area", "number", "note"]
