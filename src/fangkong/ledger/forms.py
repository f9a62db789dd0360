from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
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
from fangkong.core.models import Area
from fangkong.core.scope import ancestor_codes, is_within
from fangkong.ledger.models import (
    Category,
    Contact,
    KeyPerson,
    Measure,
    Policy,
    Push,
    RiskArea,
    TeamMember,
)
from fangkong.people.selectors import person_queryset

SEARCH_WIDGET = forms.TextInput(
    attrs={"placeholder": _("Name, full ID number or phone"), "type": "search"}
)


def category_choices(blank=None) -> list[tuple[str, str]]:
    active = Category.objects.filter(active=True).values_list("pk", "name")
    rows = [(str(pk), name) for pk, name in active]
    return [("", blank), *rows] if blank else rows


class CategoryChoiceField(forms.TypedChoiceField):
    """An active category, by primary key."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Category"))
        kwargs.setdefault("widget", FastSelect)
        super().__init__(coerce=int, **kwargs)

    def configure(self, blank=None):
        self.choices = category_choices(blank)

    def clean(self, value):
        pk = super().clean(value)
        if pk in (None, ""):
            return None
        category = Category.objects.filter(pk=pk, active=True).first()
        if category is None:
            raise ValidationError(_("Choose an active category."))
        return category


def village_and_grids(area: Area) -> list[tuple[str, str]]:
    """The push's village and its grids: where a receiving village may put the person."""
    village = area.code[:12]
    rows = Area.objects.within(village).order_by("code").values_list("code", "name", "level")
    return [(code, name) for code, name, _level in rows]


# -- pushes ------------------------------------------------------------------------------------


class PushReceiveForm(BootstrapForm):
    category = CategoryChoiceField()
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    area = forms.ChoiceField(label=_("Village or grid"), widget=FastSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(
        self, *args, push: Push, category: Category, categories=None, areas=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.push = push
        self.fields["category"].choices = (
            categories if categories is not None else category_choices()
        )
        self.fields["area"].choices = areas if areas is not None else village_and_grids(push.area)
        self.initial.setdefault("category", category.pk)
        self.initial.setdefault("measure", category.default_measure)
        self.initial.setdefault("area", push.area_id)
        prefix = f"r{push.pk}"
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"{prefix}-{name}"

    def clean_area(self):
        area = Area.objects.filter(code=self.cleaned_data["area"]).first()
        if area is None:
            raise ValidationError(_("Choose the push's village or one of its grids."))
        return area


class PushAnswerForm(BootstrapForm):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=Push.Answer.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, push: Push | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if push is not None:
            for name, field in self.fields.items():
                field.widget.attrs["id"] = f"a{push.pk}-{name}"


class PushRedirectForm(BootstrapForm):
    area = forms.ChoiceField(label=_("New destination"), widget=FastSelect)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].choices = registration_area_choices(user)

    def clean_area(self):
        area = area_in_scope(self.user, self.cleaned_data["area"])
        if area is None:
            raise ValidationError(_("Choose a village or grid inside your scope."))
        return area


class ReasonForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PushFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=50, widget=SEARCH_WIDGET)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All open")),
            (Push.State.PENDING, Push.State.PENDING.label),
            (Push.State.ANSWERED, Push.State.ANSWERED.label),
        ],
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *Push.Source.choices]
    )
    area = AreaFilterField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].configure(user, self.data.get("area"))


class OutboundFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=50, widget=SEARCH_WIDGET)
    sent = forms.ChoiceField(
        label=_("Notice"),
        required=False,
        choices=[("", _("All")), ("no", _("Not sent")), ("yes", _("Sent"))],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


# -- key persons -------------------------------------------------------------------------------


class KeyPersonFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, initials, full ID number or phone"), "type": "search"}
        ),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("Open (awaiting or managed)")),
            *KeyPerson.State.choices,
        ],
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    measure = forms.ChoiceField(
        label=_("Measure"), required=False, choices=[("", _("All")), *Measure.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *KeyPerson.Source.choices]
    )
    area = AreaFilterField()
    end_from = forms.DateField(label=_("Period ends from"), required=False, widget=DateInput())
    end_to = forms.DateField(label=_("Period ends by"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].configure(user, self.data.get("area"))
        self.fields["category"].choices = [
            ("", _("All")),
            *Category.objects.values_list("pk", "name"),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("end_from"), data.get("end_to")
        if start and end and start > end:
            self.add_error("end_to", _("The end date is before the start date."))
        return data

    @property
    def has_extra_filters(self) -> bool:
        return any(
            self.data.get(name)
            for name in ("category", "measure", "source", "area", "end_from", "end_to")
        )


TRANSITION_TARGETS = [
    (KeyPerson.State.MANAGED, _("Under management")),
    (KeyPerson.State.TRANSFERRED, _("Transferred")),
    (KeyPerson.State.REFERRED, _("Referred to hospital")),
    (KeyPerson.State.LOST, _("Lost contact")),
]


class TransitionForm(BootstrapForm):
    to_state = forms.ChoiceField(label=_("New state"), choices=TRANSITION_TARGETS)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeasureForm(BootstrapForm):
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class TeamMemberForm(BootstrapForm):
    role = forms.ChoiceField(label=_("Role"), choices=TeamMember.Role.choices)
    user = forms.TypedChoiceField(
        label=_("Account"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=50,
        help_text=_("Without an account: name and phone."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(self, *args, key_person: KeyPerson, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_person = key_person
        self.fields["user"].choices = [("", _("No account")), *_account_choices(key_person)]

    def clean_user(self):
        pk = self.cleaned_data.get("user")
        if pk is None:
            return None
        user = _accounts(self.key_person).filter(pk=pk).first()
        if user is None:
            raise ValidationError(_("Choose an account that can see the person."))
        return user

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("name", _("Give a name or choose an account."))
        return data


def _accounts(key_person: KeyPerson):
    """Active accounts whose scope covers the person: those who would see them."""
    code = key_person.area_id
    return get_user_model().objects.filter(is_active=True, scope_id__in=ancestor_codes(code))


def _account_choices(key_person: KeyPerson) -> list[tuple[int, str]]:
    rows = _accounts(key_person).order_by("scope_id", "username")
    return [(u.pk, f"{u.display_name} ({u.username})") for u in rows[:300]]


class PersonPickField(forms.IntegerField):
    """A registered person of the user's scope, by id (the search box fills it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


class KeyPersonEntryForm(BootstrapForm):
    """Manual entry or household investigation: pick a registered person or register one."""

    person = PersonPickField(required=False)
    person_q = forms.CharField(
        label=_("Registered person"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("Full ID number, phone or name"), "type": "search"}
        ),
    )
    # Registering a new person
    name = forms.CharField(label=_("Name"), required=False, max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    area = forms.ChoiceField(label=_("Village or grid"), widget=FastSelect)
    # The ledger entry
    category = CategoryChoiceField()
    measure = forms.ChoiceField(
        label=_("Measure"), required=False, choices=[("", _("Category default")), *Measure.choices]
    )
    period_start = forms.DateField(label=_("Observation starts"), widget=DateInput())
    origin = forms.CharField(label=_("Coming from"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].choices = registration_area_choices(user)
        self.fields["category"].configure()
        self.initial.setdefault("period_start", timezone.localdate())

    def clean_area(self):
        area = area_in_scope(self.user, self.cleaned_data["area"])
        if area is None:
            raise ValidationError(_("Choose a village or grid inside your scope."))
        return area

    def clean_period_start(self):
        value = self.cleaned_data["period_start"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future"))
        return value

    def clean(self):
        data = super().clean()
        pk = data.get("person")
        if pk:
            person = person_queryset(user=self.user).filter(pk=pk).first()
            if person is None:
                self.add_error("person_q", _("Choose a person inside your scope."))
            data["person"] = person
        else:
            data["person"] = None
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Pick a registered person or enter a name."))
        return data


class ContactForm(BootstrapForm):
    """Link a contact to the person whose page this is (the case or suspect)."""

    contact = PersonPickField(required=False)
    contact_q = forms.CharField(
        label=_("Registered person"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("Full ID number, phone or name"), "type": "search"}
        ),
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=50)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=20)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    area = forms.ChoiceField(label=_("Village or grid"), required=False, widget=FastSelect)
    degree = forms.ChoiceField(label=_("Degree"), choices=Contact.Degree.choices)
    relation = forms.CharField(label=_("Relation"), required=False, max_length=50)
    last_contact_on = forms.DateField(label=_("Last contact"), required=False, widget=DateInput())
    enter_ledger = forms.BooleanField(
        label=_("Enter in the key-person ledger"), required=False, initial=True
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].choices = registration_area_choices(user)

    def clean(self):
        data = super().clean()
        pk = data.get("contact")
        if pk:
            person = person_queryset(user=self.user).filter(pk=pk).first()
            if person is None:
                self.add_error("contact_q", _("Choose a person inside your scope."))
            data["contact"] = person
            return data
        data["contact"] = None
        if not (data.get("name") or "").strip():
            self.add_error("name", _("Pick a registered person or enter a name."))
        area = area_in_scope(self.user, data.get("area") or "")
        if area is None:
            self.add_error("area", _("Choose a village or grid inside your scope."))
        data["area"] = area
        return data


# -- self-registration -------------------------------------------------------------------------


class SelfRegistrationForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    origin = forms.CharField(
        label=_("Coming from"),
        max_length=200,
        help_text=_("Province, city and county, e.g. 湖北省武汉市武昌区"),
    )
    arrived_on = forms.DateField(label=_("Arrival date"), widget=DateInput())
    area = forms.CharField(label=_("Village or community"), max_length=15)
    address = forms.CharField(label=_("Address"), max_length=200)
    # A field people do not see: bots fill it.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_area(self):
        code = self.cleaned_data["area"].strip()
        area = (
            Area.objects.filter(code=code, level=Area.Level.VILLAGE).first()
            if code.isdigit()
            else None
        )
        if area is None:
            raise ValidationError(_("Choose your village or community from the list."))
        return area


# -- configuration -----------------------------------------------------------------------------


class CategoryForm(BootstrapForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=50)
    observation_days = forms.IntegerField(label=_("Observation days"), min_value=1, max_value=60)
    default_measure = forms.ChoiceField(label=_("Default measure"), choices=Measure.choices)
    requires_negative_test = forms.BooleanField(label=_("Negative test required"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=100)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, category: Category | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        if category is not None:
            # The code identifies the category in imports and other modules: fixed.
            self.fields["code"].disabled = True

    def clean_code(self):
        code = self.cleaned_data["code"]
        if self.category is None and Category.objects.filter(code=code).exists():
            raise ValidationError(_("A category with this code exists."))
        return code


class PolicyForm(BootstrapForm):
    push_from_other_provinces = forms.BooleanField(
        label=Policy._meta.get_field("push_from_other_provinces").verbose_name, required=False
    )
    push_from_risk_areas = forms.BooleanField(
        label=Policy._meta.get_field("push_from_risk_areas").verbose_name, required=False
    )
    push_flagged = forms.BooleanField(
        label=Policy._meta.get_field("push_flagged").verbose_name, required=False
    )
    receipt_overdue_hours = forms.IntegerField(
        label=_("Hours before an unreceived push is overdue"), min_value=1, max_value=168
    )
    default_category = CategoryChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_category"].configure(blank=_("First active category"))


class RiskAreaForm(BootstrapForm):
    region_code = forms.CharField(
        label=_("Region code"),
        max_length=12,
        help_text=_("Statistics code: 42 a province, 4201 a city, 420106 a county."),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskArea.Level.choices)
    listed_on = forms.DateField(label=_("Listed on"), required=False, widget=DateInput())


def is_district_admin(user, district: str) -> bool:
    """The user's scope covers the deployment's district (the categories and risk areas
    are the district's, even though they are not stored per area)."""
    return bool(user.scope_id) and is_within(district, user.scope_id)
