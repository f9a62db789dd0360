from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.briefings.models import Briefing
from fangkong.core.forms import BootstrapForm, DateInput
from fangkong.core.models import Area


class FilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Number, office or text")}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *Briefing.State.choices],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date"))
        return data


def generate_area_choices(user) -> list[tuple[str, str]]:
    """The user's scope and the towns under it: the areas a briefing is issued for."""
    scope = user.scope
    if scope is None:
        return []
    towns = Area.objects.filter(parent_id=scope.code, level__lte=Area.Level.TOWN).order_by("code")
    return [(scope.code, scope.name), *((a.code, f"\u3000{a.name}") for a in towns)]


class GenerateForm(BootstrapForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    area = forms.ChoiceField(label=_("Area"))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = generate_area_choices(user)

    def clean_area(self):
        return Area.objects.get(code=self.cleaned_data["area"])


class EditForm(BootstrapForm):
    office = forms.CharField(label=_("Issuing office"), max_length=100)
    report_to = forms.CharField(label=_("Report to (报)"), max_length=300, required=False)
    send_to = forms.CharField(label=_("Send to (送)"), max_length=300, required=False)
    copies = forms.IntegerField(label=_("Copies printed"), required=False, min_value=1)

    def __init__(self, *args, briefing, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "office": briefing.office,
                "report_to": briefing.report_to,
                "send_to": briefing.send_to,
                "copies": briefing.copies,
                **{s["key"]: s["text"] for s in briefing.sections},
            },
        )
        super().__init__(*args, **kwargs)
        self.section_keys = []
        for section in briefing.sections:
            self.fields[section["key"]] = forms.CharField(
                label=section["heading"],
                widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
            )
            self.section_keys.append(section["key"])

    def section_fields(self):
        return [self[key] for key in self.section_keys]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "texts": {key: data[key] for key in self.section_keys},
            "office": data["office"],
            "report_to": data["report_to"],
            "send_to": data["send_to"],
            "copies": data["copies"],
        }
