"""Forms of the monitoring pages; the services validate again (API and imports use them)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import AreaFilterField, BootstrapForm, DateInput
from fangkong.monitoring.models import Alert, FollowUp, Sample, Slot
from fangkong.monitoring.services import SYMPTOMS, parse_temperature


class TemperatureField(forms.CharField):
    """Text, parsed by the service's rule, so "abc" and "36.55" get the same clear message
    from a form, the API and the personal link."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Temperature (°C)"))
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "placeholder": "36.5"}
        )

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_temperature(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["temperature"]) from None


class HealthLogForm(BootstrapForm):
    slot = forms.ChoiceField(label=_("Slot"), choices=Slot.choices)
    temperature = TemperatureField()
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms"),
        required=False,
        choices=list(SYMPTOMS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    correction_reason = forms.CharField(
        label=_("Correction reason"),
        required=False,
        max_length=200,
        help_text=_("Only to correct a slot already reported."),
    )


class SelfLogForm(BootstrapForm):
    slot = forms.ChoiceField(label=_("Slot"), choices=Slot.choices)
    temperature = TemperatureField()
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms"),
        required=False,
        choices=list(SYMPTOMS.items()),
        widget=forms.CheckboxSelectMultiple,
    )


class TodayFilterForm(BootstrapForm):
    slot = forms.ChoiceField(label=_("Slot"), choices=Slot.choices, required=False)
    area = AreaFilterField()
    q = forms.CharField(label=_("Name or pinyin"), required=False, max_length=20)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].configure(user, self.data.get("area"))


class ReferForm(BootstrapForm):
    referred_to = forms.CharField(label=_("Referred to (fever clinic)"), max_length=100)
    referred_at = forms.DateTimeField(
        label=_("Referred at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class OutcomeForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Alert.Outcome.choices)
    outcome_note = forms.CharField(
        label=_("Outcome note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(BootstrapForm):
    outcome_note = forms.CharField(
        label=_("Why is the alert closed?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AlertFilterForm(BootstrapForm):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *Alert.State.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Alert.Kind.choices]
    )


class FollowUpForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUp.Kind.choices)
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    notice_delivered = forms.BooleanField(label=_("Health notice delivered"), required=False)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"visited_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SampleForm(BootstrapForm):
    sample_no = forms.CharField(label=_("Sample number"), max_length=40)
    sampled_on = forms.DateField(label=_("Sampled on"), widget=DateInput())
    kind = forms.CharField(label=_("Sample type"), required=False, max_length=20)
    batch = forms.CharField(label=_("Batch"), required=False, max_length=40)
    lab = forms.CharField(label=_("Laboratory"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"sampled_on": timezone.localdate(), "kind": "咽拭子"})
        super().__init__(*args, **kwargs)


RESULT_CHOICES = [
    (Sample.Result.NEGATIVE, Sample.Result.NEGATIVE.label),
    (Sample.Result.POSITIVE, Sample.Result.POSITIVE.label),
    (Sample.Result.INVALID, Sample.Result.INVALID.label),
]


class ResultForm(BootstrapForm):
    result = forms.ChoiceField(label=_("Result"), choices=RESULT_CHOICES)
    result_on = forms.DateField(label=_("Result date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"result_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SampleFilterForm(BootstrapForm):
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("All results")), *Sample.Result.choices],
    )
    q = forms.CharField(label=_("Sample number or batch"), required=False, max_length=40)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReleaseForm(BootstrapForm):
    reason = forms.CharField(label=_("Note"), required=False, max_length=200)
