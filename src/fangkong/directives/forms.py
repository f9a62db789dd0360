from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.roles import ROLES
from fangkong.core.forms import BootstrapForm
from fangkong.core.models import Area
from fangkong.directives import selectors
from fangkong.directives.models import Directive
from fangkong.directives.services import sign_roles


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the service checks their types and sizes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def unit_groups(user) -> list[dict]:
    """The areas a user may send to, as the compose form lists them: each town (or, for a
    town's own sender, the town itself) with its villages."""
    scope = user.scope
    rows = list(
        Area.objects.for_user(user)
        .filter(level__gt=scope.level, level__lte=Area.Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name", "level")
    )
    groups: dict[str, dict] = {}
    if scope.level >= Area.Level.TOWN:
        groups[scope.code] = {"code": "", "name": scope.name, "villages": []}
    for code, name, level in rows:
        if level == Area.Level.VILLAGE:
            town = code[:9]
            group = groups.get(town) or groups.get(scope.code)
            if group is not None:
                group["villages"].append((code, name))
        elif level == Area.Level.TOWN:
            groups[code] = {"code": code, "name": name, "villages": []}
    return list(groups.values())


class DirectiveForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Directive.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    deadline = forms.DateTimeField(
        label=_("Deadline for signing and feedback"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    units = forms.MultipleChoiceField(
        label=_("Recipient units"), required=False, widget=forms.CheckboxSelectMultiple
    )
    everyone = forms.MultipleChoiceField(
        label=_("Send to all"), required=False, widget=forms.CheckboxSelectMultiple
    )
    roles = forms.MultipleChoiceField(
        label=_("Notify these roles"), required=False, widget=forms.CheckboxSelectMultiple
    )
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.groups = unit_groups(user)
        towns = [g for g in self.groups if g["code"]]
        self.fields["units"].choices = [
            *((g["code"], g["name"]) for g in towns),
            *((code, name) for g in self.groups for code, name in g["villages"]),
        ]
        everyone = []
        if towns:
            everyone.append(("towns", _("All towns")))
        everyone.append(("villages", _("All villages")))
        self.fields["everyone"].choices = everyone
        self.fields["roles"].choices = [(name, ROLES[name][0]) for name in sign_roles()]
        if not self.is_bound:
            self.initial.setdefault("roles", sign_roles())

    def clean(self):
        data = super().clean()
        codes = set(data.get("units") or [])
        for choice in data.get("everyone") or []:
            for group in self.groups:
                if choice == "towns" and group["code"]:
                    codes.add(group["code"])
                if choice == "villages":
                    codes.update(code for code, _name in group["villages"])
        data["areas"] = list(Area.objects.for_user(self.user).filter(code__in=codes))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "body": data["body"],
            "deadline": data["deadline"],
            "areas": data["areas"],
            "roles": data["roles"],
            "files": data["files"],
        }


class FeedbackForm(BootstrapForm):
    text = forms.CharField(
        label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = MultipleFileField(label=_("Attachments"))


class SentFilterForm(BootstrapForm):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *Directive.State.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=50)


class ReceiptExportForm(forms.Form):
    """The export's one filter: a directive the user sent (or whose sender is in scope)."""

    directive = forms.IntegerField(label=_("Directive"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_directive(self):
        pk = self.cleaned_data["directive"]
        if not selectors.sent_queryset(user=self.user).filter(pk=pk).exists():
            raise ValidationError(_("Choose a directive inside your scope."))
        return pk
