from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import BootstrapForm, DateInput, FastSelect
from fangkong.donations import selectors
from fangkong.donations.models import Channel, Designation, Donor

KIND_CHOICES = [("", _("All kinds")), *Donor.Kind.choices]
PART_CHOICES = [("", _("Money and goods")), ("money", _("with money")), ("goods", _("with goods"))]


class DonorForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Donor.Kind.choices)
    name = forms.CharField(label=_("Donor name"), max_length=100)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        help_text=_("18 characters, for enterprises and organisations."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    anonymous = forms.BooleanField(label=_("Anonymous: shown publicly as 爱心人士"), required=False)
    disclose_name = forms.BooleanField(
        label=_("The donor consents to publishing the name"),
        required=False,
        help_text=_("For individuals; without consent the public page masks the name."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, donor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if donor is not None and donor.phone_masked:
            self.fields["phone"].help_text = _("Now %(masked)s; leave empty to keep it.") % {
                "masked": donor.phone_masked
            }

    def service_kwargs(self, *, keep_phone: bool = False) -> dict:
        data = dict(self.cleaned_data)
        if keep_phone and not data["phone"].strip():
            data["phone"] = None
        return data


class DonorFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=KIND_CHOICES)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class DonationFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Donor or number"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("Donor kind"), required=False, choices=KIND_CHOICES)
    part = forms.ChoiceField(label=_("Part"), required=False, choices=PART_CHOICES)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def donation_filters(data: dict) -> dict:
    return {
        "q": (data.get("q") or "").strip(),
        "kind": data.get("kind") or "",
        "part": data.get("part") or "",
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
    }


class DonationForm(BootstrapForm):
    area = forms.ChoiceField(label=_("Receiving unit"), widget=FastSelect)
    donor = forms.ChoiceField(label=_("Donor"), widget=FastSelect)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, decimal_places=2, max_digits=14
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices]
    )
    designation = forms.ChoiceField(
        label=_("Designation"), choices=Designation.choices, initial=Designation.UNDESIGNATED
    )
    purpose = forms.CharField(label=_("Designated purpose"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, donation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.areas = {a.code: a for a in selectors.receiving_areas(user=user)}
        self.fields["area"].choices = [(code, a.name) for code, a in self.areas.items()]
        self.donors = {str(d.pk): d for d in selectors.donor_choices(user=user)}
        self.fields["donor"].choices = [("", _("Choose the donor"))] + [
            (pk, f"{d.name} · {d.get_kind_display()}") for pk, d in self.donors.items()
        ]
        if donation is not None:
            self.donors.setdefault(str(donation.donor_id), donation.donor)
            if str(donation.donor_id) not in dict(self.fields["donor"].choices):
                self.fields["donor"].choices.append((str(donation.donor_id), donation.donor.name))
            # The receiving unit numbered the donation; it stays.
            self.fields["area"].disabled = True

    def clean_area(self):
        area = self.areas.get(self.cleaned_data["area"])
        if area is None:
            raise ValidationError(_("Choose a receiving unit inside your scope."))
        return area

    def clean_donor(self):
        donor = self.donors.get(self.cleaned_data["donor"])
        if donor is None:
            raise ValidationError(_("Choose a donor inside your scope."))
        return donor


class LineForm(BootstrapForm):
    item = forms.ChoiceField(label=_("Goods item"), required=False, widget=FastSelect)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, max_digits=14)
    value = forms.DecimalField(label=_("Estimated value (yuan)"), required=False, max_digits=14)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items or {}
        self.fields["item"].choices = [("", "—")] + [
            (pk, f"{item}（{item.unit}）") for pk, item in self.items.items()
        ]

    def clean_item(self):
        value = self.cleaned_data["item"]
        if not value:
            return None
        item = self.items.get(value)
        if item is None:
            raise ValidationError(_("Choose an item of the catalogue."))
        return item

    def line(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("item") and data.get("quantity") is None:
            return None
        return {
            "item": data.get("item"),
            "quantity": data.get("quantity"),
            "value": data.get("value"),
            "note": data.get("note") or "",
        }


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, items=None, **kwargs):
        self.items = items or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"items": self.items}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            items=self.items,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def lines(self) -> list[dict]:
        found = []
        for number, form in enumerate(self.forms, start=1):
            line = form.line()
            if line is not None:
                found.append({**line, "number": number})
        return found


def line_formset(data, *, items: dict, initial: list[dict], locked: bool = False):
    """The goods lines of the donation form: the stored ones and blank rows to fill (none
    once the goods are in stock)."""
    extra = 0 if locked else (2 if initial else 4)
    formset = forms.formset_factory(
        LineForm, formset=BaseLineFormSet, extra=extra, max_num=200, absolute_max=200
    )
    return formset(data, items=items, initial=initial, prefix="lines")


def item_map() -> dict:
    from fangkong.supplies import selectors as supplies_selectors

    return {str(item.pk): item for item in supplies_selectors.item_choices()}


class ReceiveForm(BootstrapForm):
    warehouse = forms.ChoiceField(label=_("Warehouse"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, user, donation, **kwargs):
        super().__init__(*args, **kwargs)
        self.warehouses = {
            str(w.pk): w for w in selectors.warehouses_for(user=user, donation=donation)
        }
        self.fields["warehouse"].choices = [(pk, w.name) for pk, w in self.warehouses.items()]

    def clean_warehouse(self):
        warehouse = self.warehouses.get(self.cleaned_data["warehouse"])
        if warehouse is None:
            raise ValidationError(_("Choose a warehouse inside your scope."))
        return warehouse


class DisbursementForm(BootstrapForm):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, required=False)
    purpose = forms.CharField(label=_("Used for"), max_length=200, required=False)
    paid_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    approved_by = forms.CharField(label=_("Approved by"), max_length=50, required=False)
