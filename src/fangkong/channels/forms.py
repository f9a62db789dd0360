from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangkong.channels import selectors
from fangkong.channels.models import Channel, Delivery
from fangkong.core.forms import (
    BootstrapForm,
    DateInput,
    FastSelect,
    area_filter_choices,
    area_in_scope,
)
from fangkong.inbox.models import Notification


class ChannelForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    area = forms.ChoiceField(label=_("Unit"), widget=FastSelect)
    kind = forms.ChoiceField(label=_("Type"), choices=Channel.Kind.choices)
    webhook_url = forms.CharField(
        label=_("Webhook URL"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"autocomplete": "off", "inputmode": "url"}),
        help_text=_("From the group robot's settings in WeCom or DingTalk."),
    )
    secret = forms.CharField(
        label=_("Signing secret (DingTalk)"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Only when the DingTalk robot's security setting is 加签 (SEC…)."),
    )
    recipients = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, or separated by commas."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Notification kinds"),
        required=False,
        choices=Notification.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every kind is forwarded."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.channel = channel
        self.fields["area"].choices = area_filter_choices(user, blank_label=_("Choose a unit"))
        if channel is not None:
            # The stored URL and secret are never sent back to the browser.
            keep = _("Leave empty to keep the current one.")
            self.fields["webhook_url"].help_text = keep
            self.fields["secret"].help_text = keep
            self.fields["clear_secret"] = forms.BooleanField(
                label=_("Remove the signing secret"), required=False
            )
            self.fields["clear_secret"].widget.attrs["class"] = "form-check-input"

    def clean_area(self):
        area = area_in_scope(self.user, self.cleaned_data["area"])
        if area is None:
            raise ValidationError(_("Choose a unit inside your scope."))
        return area

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        webhook_url = data["webhook_url"].strip()
        secret = data["secret"].strip()
        editing = self.channel is not None
        if data.get("clear_secret"):
            secret = ""
        elif editing and not secret:
            secret = None
        return {
            "area": data["area"],
            "name": data["name"],
            "kind": data["kind"],
            "webhook_url": None if editing and not webhook_url else webhook_url,
            "secret": secret,
            "recipients": data["recipients"],
            "kinds": data["kinds"],
            "active": data["active"],
        }


class DeliveryFilterForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Delivery.Status.choices],
    )
    channel = forms.TypedChoiceField(
        label=_("Channel"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        channels = selectors.channel_queryset(user=user).order_by("name").values_list("pk", "name")
        self.fields["channel"].choices = [("", _("All channels"))] + [
            (str(pk), name) for pk, name in channels
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "channel": data.get("channel"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
