from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import AreaFilterField, BootstrapForm, FastSelect, area_in_scope
from fangkong.core.models import Area
from fangkong.isolation import selectors
from fangkong.isolation.models import DailyService
from fangkong.ledger.models import Measure

CHECKOUT_REASONS = (
    _("observation period over"),
    _("referred to hospital"),
    _("back to home isolation"),
    _("moved to another site"),
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def site_area_choices(user) -> list[tuple[str, str]]:
    """Towns and villages of the user's scope (a site lies in one), indented by level."""
    rows = (
        Area.objects.for_user(user)
        .filter(level__gte=Area.Level.TOWN, level__lte=Area.Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name", "level")
    )
    return [("", _("Choose an area"))] + [
        (code, "\u3000" * (level - Area.Level.TOWN) + name) for code, name, level in rows
    ]


def site_choices(user) -> list[tuple[str, str]]:
    sites = selectors.site_queryset(user=user).order_by("name").values_list("pk", "name")
    return [("", _("All sites"))] + [(str(pk), name) for pk, name in sites]


class SiteForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200)
    area = forms.ChoiceField(label=_("Town or village"), widget=FastSelect)
    contact_name = forms.CharField(label=_("Contact"), required=False, max_length=50)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].choices = site_area_choices(user)

    def clean_area(self):
        area = area_in_scope(self.user, self.cleaned_data["area"])
        if area is None:
            raise ValidationError(_("Choose an area inside your scope."))
        return area


class RoomForm(BootstrapForm):
    number = forms.CharField(label=_("Room"), max_length=20)
    beds = forms.IntegerField(label=_("Beds"), min_value=1, max_value=20, initial=1)
    in_service = forms.BooleanField(label=_("In service"), required=False, initial=True)


class RoomEditForm(BootstrapForm):
    beds = forms.IntegerField(label=_("Beds"), min_value=1, max_value=20)
    in_service = forms.BooleanField(label=_("In service"), required=False)


class CheckInForm(BootstrapForm):
    key_person = forms.IntegerField(widget=forms.HiddenInput)
    room = forms.TypedChoiceField(label=_("Room"), coerce=int, widget=FastSelect)

    def __init__(self, *args, user, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.site = site
        self.rooms = {room.pk: room for room in selectors.rooms_with_free_beds(site=site)}
        self.fields["room"].choices = [("", _("Choose a room"))] + [
            (
                room.pk,
                _("%(room)s (%(free)d of %(beds)d beds free)")
                % {"room": room.number, "free": room.beds - room.occupied, "beds": room.beds},
            )
            for room in self.rooms.values()
        ]

    def clean_key_person(self):
        key_person = selectors.candidate(user=self.user, pk=self.cleaned_data["key_person"])
        if key_person is None:
            raise ValidationError(_("Choose a person inside your scope."))
        return key_person

    def clean_room(self):
        return self.rooms[self.cleaned_data["room"]]


class CheckOutForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason for leaving"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "checkout-reasons"}),
    )
    measure = forms.ChoiceField(
        label=_("Measure from now on"),
        required=False,
        choices=[("", _("Unchanged")), *Measure.choices],
        help_text=_("For a person who stays under management after leaving, e.g. back home."),
    )


class TransferForm(BootstrapForm):
    key_person = forms.IntegerField(widget=forms.HiddenInput)
    site = forms.TypedChoiceField(label=_("Isolation site"), coerce=int, widget=FastSelect)
    pickup_address = forms.CharField(label=_("Picked up at"), max_length=200)
    vehicle_plate = forms.CharField(
        label=_("Vehicle plate"),
        max_length=12,
        widget=forms.TextInput(attrs={"placeholder": "鲁C12345", "autocomplete": "off"}),
    )
    driver = forms.CharField(label=_("Driver"), max_length=50)
    escort = forms.CharField(label=_("Escort"), required=False, max_length=50)
    departed_at = forms.DateTimeField(label=_("Departed"), widget=DateTimeInput())
    arrived_at = forms.DateTimeField(label=_("Arrived"), required=False, widget=DateTimeInput())
    disinfected = forms.BooleanField(label=_("Vehicle disinfected"), required=False)
    disinfected_at = forms.DateTimeField(
        label=_("Disinfected at"), required=False, widget=DateTimeInput()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.sites = {
            site.pk: site
            for site in selectors.site_queryset(user=user).filter(active=True).order_by("name")
        }
        self.fields["site"].choices = [("", _("Choose a site"))] + [
            (pk, site.name) for pk, site in self.sites.items()
        ]

    def clean_key_person(self):
        key_person = selectors.candidate(user=self.user, pk=self.cleaned_data["key_person"])
        if key_person is None:
            raise ValidationError(_("Choose a person inside your scope."))
        return key_person

    def clean_site(self):
        return self.sites[self.cleaned_data["site"]]


class TransferCompleteForm(BootstrapForm):
    arrived_at = forms.DateTimeField(label=_("Arrived"), required=False, widget=DateTimeInput())
    disinfected = forms.BooleanField(label=_("Vehicle disinfected"), required=False)
    disinfected_at = forms.DateTimeField(
        label=_("Disinfected at"), required=False, widget=DateTimeInput()
    )


class ServiceTickForm(forms.Form):
    item = forms.ChoiceField(choices=[(item, item) for item in DailyService.ITEMS])
    value = forms.BooleanField(required=False)
    date = forms.DateField()


class _SiteFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("Name or initials"), "type": "search"}),
    )
    site = forms.TypedChoiceField(
        label=_("Isolation site"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    area = AreaFilterField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = site_choices(user)
        self.fields["area"].configure(user, self.data.get("area"))


class StayFilterForm(_SiteFilterForm):
    current = forms.ChoiceField(
        label=_("Who"),
        required=False,
        choices=[("", _("In the site now")), ("left", _("Checked out")), ("all", _("All"))],
    )

    field_order = ["q", "site", "current", "area"]

    def selector_kwargs(self) -> dict:
        return stay_filters(self.cleaned_data)


class TransferFilterForm(_SiteFilterForm):
    undisinfected = forms.BooleanField(label=_("Without disinfection only"), required=False)

    def selector_kwargs(self) -> dict:
        return transfer_filters(self.cleaned_data)


def stay_filters(data: dict) -> dict:
    """selectors.stay_list arguments from a StayFilterForm's cleaned data (or none: who is in)."""
    current = {"": True, "left": False, "all": None}[data.get("current") or ""]
    return {
        "site": data.get("site"),
        "current": current,
        "q": data.get("q") or "",
        "area": data.get("area") or "",
    }


def transfer_filters(data: dict) -> dict:
    return {
        "site": data.get("site"),
        "undisinfected": bool(data.get("undisinfected")),
        "q": data.get("q") or "",
        "area": data.get("area") or "",
    }
