"""Forms of the supplies pages. Thin: the services check quantities, stock and scope.

Document lines come as parallel lists (`item`, `quantity`, `unit_price`) so a page can offer
as many rows as it likes without a formset's management form; `posted_lines` pairs them and
the service names any bad line by its number.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import BootstrapForm, DateInput, FastSelect
from fangkong.core.models import Area
from fangkong.supplies import selectors
from fangkong.supplies.models import Category, Inbound, Item, Outbound, SupplyRequest

# Empty rows a document form offers; "more lines" adds this many again.
LINE_ROWS = 5
MAX_ROWS = 60


def item_options() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active items grouped by category, with their unit, for a line's select."""
    groups: dict[str, list] = {}
    for item in selectors.item_choices():
        groups.setdefault(item.category.name, []).append((item.pk, f"{item}（{item.unit}）"))
    return list(groups.items())


def posted_lines(data, *, with_price: bool = False) -> tuple[list[dict], list[dict]]:
    """(lines for the service, rows to redisplay). Rows left blank are skipped; an unknown
    item stays None so the service names its line."""
    items = data.getlist("item")
    quantities = data.getlist("quantity")
    prices = data.getlist("unit_price") if with_price else []
    known = {str(item.pk): item for item in Item.objects.filter(active=True)}
    lines, rows = [], []
    for index, raw_item in enumerate(items):
        quantity = quantities[index] if index < len(quantities) else ""
        price = prices[index] if index < len(prices) else ""
        rows.append({"item": raw_item, "quantity": quantity, "unit_price": price})
        if not raw_item and not quantity.strip():
            continue
        lines.append(
            {
                "item": known.get(raw_item),
                "quantity": quantity.strip() or None,
                "unit_price": price.strip() or None,
            }
        )
    return lines, rows


def row_count(rows: list[dict], more: bool) -> int:
    """Rows to offer: at least LINE_ROWS, LINE_ROWS more when asked, at most MAX_ROWS."""
    count = max(len(rows), LINE_ROWS) + (LINE_ROWS if more else 0)
    return min(count, MAX_ROWS)


def blank_rows(rows: list[dict], count: int) -> list[dict]:
    rows = list(rows)
    while len(rows) < count:
        rows.append({"item": "", "quantity": "", "unit_price": ""})
    return rows


def _area_choices(root_code: str, *, deepest: int = Area.Level.VILLAGE, blank=None) -> list:
    rows = (
        Area.objects.within(root_code)
        .filter(level__lte=deepest)
        .order_by("code")
        .values_list("code", "name", "level")
    )
    choices = [("", blank or _("Choose an area"))]
    top = None
    for code, name, level in rows:
        top = level if top is None else top
        choices.append((code, "\u3000" * (level - top) + name))
    return choices


class WarehouseForm(BootstrapForm):
    area = forms.ChoiceField(label=_("Area"), widget=FastSelect)
    name = forms.CharField(label=_("Warehouse name"), max_length=100)
    keeper = forms.CharField(label=_("Keeper"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["area"]
        else:
            del self.fields["active"]
            self.fields["area"].choices = _area_choices(user.scope_id, deepest=Area.Level.TOWN)

    def clean_area(self):
        code = self.cleaned_data["area"]
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise forms.ValidationError(_("Choose an area"))
        return area


class InboundForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Inbound.Kind.choices)
    supplier = forms.CharField(
        label=_("Supplier / issuing body"),
        max_length=200,
        required=False,
        help_text=_("The supplier of a purchase, the issuing body of an allocation (市应急管理局)"),
    )
    invoice_no = forms.CharField(label=_("Invoice no."), max_length=60, required=False)
    document_no = forms.CharField(label=_("Document no."), max_length=60, required=False)
    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))


class IssueForm(BootstrapForm):
    recipient_area = forms.ChoiceField(label=_("Receiving area"), widget=FastSelect)
    unit_type = forms.ChoiceField(
        label=_("Unit type"), choices=[("", "—"), *Outbound.UnitType.choices]
    )
    unit_name = forms.CharField(
        label=_("Unit"),
        max_length=100,
        required=False,
        help_text=_("Left empty: the area's name"),
    )
    receiver_name = forms.CharField(label=_("Receiver"), max_length=50, required=False)
    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, warehouse, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_area"].choices = _area_choices(warehouse.area_id)

    def clean_recipient_area(self):
        area = Area.objects.filter(code=self.cleaned_data["recipient_area"]).first()
        if area is None:
            raise forms.ValidationError(_("Choose an area"))
        return area


class TransferForm(BootstrapForm):
    to_warehouse = forms.ChoiceField(label=_("To warehouse"))
    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, user, warehouse, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {
            str(w.pk): w for w in selectors.warehouses_for(user=user).exclude(pk=warehouse.pk)
        }
        self.fields["to_warehouse"].choices = [("", "—")] + [
            (pk, f"{w.name}（{w.area.name}）") for pk, w in self.targets.items()
        ]

    def clean_to_warehouse(self):
        return self.targets[self.cleaned_data["to_warehouse"]]


class AdjustmentForm(BootstrapForm):
    item = forms.ModelChoiceField(label=_("Goods"), queryset=Item.objects.none())
    counted = forms.CharField(label=_("Counted quantity"), max_length=20)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = selectors.item_choices()


class ThresholdForm(BootstrapForm):
    threshold = forms.CharField(label=_("Low-stock threshold"), max_length=20)


class SignForm(BootstrapForm):
    receiver_name = forms.CharField(label=_("Receiver"), max_length=50)


class RequestForm(BootstrapForm):
    unit_type = forms.ChoiceField(
        label=_("Unit type"), choices=[("", "—"), *Outbound.UnitType.choices]
    )
    unit_name = forms.CharField(
        label=_("Unit"), max_length=100, required=False, help_text=_("Left empty: your area")
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea({"rows": 2}))


class DecisionForm(BootstrapForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    warehouse = forms.ChoiceField(label=_("Issue now from"), required=False)
    receiver_name = forms.CharField(label=_("Receiver"), max_length=50, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.stores = {str(w.pk): w for w in selectors.warehouses_for(user=user)}
        self.fields["warehouse"].choices = [("", _("Decide only, issue later"))] + [
            (pk, f"{w.name}（{w.area.name}）") for pk, w in self.stores.items()
        ]

    def clean_warehouse(self):
        return self.stores.get(self.cleaned_data["warehouse"])


class IssueRequestForm(BootstrapForm):
    warehouse = forms.ChoiceField(label=_("Warehouse"))
    receiver_name = forms.CharField(label=_("Receiver"), max_length=50, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.stores = {str(w.pk): w for w in selectors.warehouses_for(user=user)}
        self.fields["warehouse"].choices = [("", "—")] + [
            (pk, f"{w.name}（{w.area.name}）") for pk, w in self.stores.items()
        ]

    def clean_warehouse(self):
        return self.stores[self.cleaned_data["warehouse"]]


class RequestFilterForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("todo", _("Waiting for me")), *SupplyRequest.Status.choices],
    )


class ItemForm(BootstrapForm):
    category = forms.ModelChoiceField(label=_("Goods category"), queryset=Category.objects.all())
    name = forms.CharField(label=_("Item name"), max_length=100)
    specification = forms.CharField(label=_("Specification"), max_length=100, required=False)
    unit = forms.CharField(
        label=_("Unit"), max_length=10, help_text=_("个, 副, 件, 瓶, 升, 台, 箱")
    )
    countable = forms.BooleanField(label=_("Whole quantities only"), required=False, initial=True)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
