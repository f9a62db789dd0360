import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import AreaFilterField, BootstrapForm, DateInput
from fangkong.reporting.form import COUNT_FIELDS, MAX_COUNT, TEXT_FIELDS
from fangkong.reporting.models import DailyReport

# A range longer than this is refused: the overview's table has a column per day.
MAX_RANGE_DAYS = 366


class ReportForm(BootstrapForm):
    """The daily report form: one number per count field (computed ones pre-filled), a
    correction reason beside each computed one, the two texts, and the reason of a change."""

    def __init__(self, *args, computed: dict, needs_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.computed = computed
        for field in COUNT_FIELDS:
            self.fields[field.key] = forms.IntegerField(
                label=field.label,
                min_value=0,
                max_value=MAX_COUNT,
                initial=computed.get(field.key, 0),
                help_text=field.source,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            if field.computed:
                self.fields[f"{field.key}_reason"] = forms.CharField(
                    label=_("Reason for the correction"), required=False, max_length=200
                )
                self.fields[field.key].widget.attrs["data-computed"] = computed.get(field.key, 0)
        for field in TEXT_FIELDS:
            self.fields[field.key] = forms.CharField(
                label=field.label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if needs_reason:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for changing an accepted report"), max_length=300
            )

    def rows(self):
        """(figure field, its reason field or None) in form order, for the template."""
        for field in COUNT_FIELDS:
            reason = self[f"{field.key}_reason"] if field.computed else None
            yield self[field.key], reason, self.computed.get(field.key, 0), field.computed

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "values": {f.key: data[f.key] for f in COUNT_FIELDS},
            "reasons": {f.key: data.get(f"{f.key}_reason", "") for f in COUNT_FIELDS},
            "narrative": data["narrative"],
            "problems": data["problems"],
        }


def report_initial(report: DailyReport) -> dict:
    initial = {f.key: getattr(report, f.key) for f in (*COUNT_FIELDS, *TEXT_FIELDS)}
    for key, correction in (report.corrections or {}).items():
        initial[f"{key}_reason"] = correction.get("reason", "")
    return initial


class ReturnForm(BootstrapForm):
    comment = forms.CharField(
        label=_("What to correct"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SummaryForm(BootstrapForm):
    narrative = forms.CharField(
        label=_("Town summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = forms.CharField(
        label=_("Problems and requests"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DayForm(BootstrapForm):
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def clean_date(self):
        day = self.cleaned_data["date"] or timezone.localdate()
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future"))
        return day


def day_from(request) -> datetime.date | None:
    """The ?date= of a page (today by default); None when it is malformed or future."""
    form = DayForm(request.GET)
    return form.cleaned_data["date"] if form.is_valid() else None


class RangeForm(BootstrapForm):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    area = AreaFilterField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].configure(user, (self.data or {}).get("area"))

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - datetime.timedelta(days=6)
        if date_from > date_to:
            raise ValidationError({"date_to": _("The end comes before the start")})
        if (date_to - date_from).days >= MAX_RANGE_DAYS:
            raise ValidationError({"date_from": _("Choose at most a year")})
        data["date_from"], data["date_to"] = date_from, date_to
        return data


class ReportFilterForm(RangeForm):
    """The export's filters (and the API's): a date range, an area, a status."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *DailyReport.Status.choices],
    )
