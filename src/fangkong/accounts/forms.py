from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.roles import ROLES
from fangkong.accounts.services import roles_grantable_by
from fangkong.core.forms import (
    AreaFilterField,
    BootstrapForm,
    FastSelect,
    area_in_scope,
    scope_area_choices,
)


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"class": "form-control form-control-lg", "autocomplete": "username"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "form-control form-control-lg", "autocomplete": "current-password"}
        )


class UserFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    role = forms.ChoiceField(label=_("Role"), required=False)
    area = AreaFilterField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles"))] + [
            (name, label) for name, (label, _perms) in ROLES.items()
        ]
        self.fields["area"].configure(user, self.data.get("area"))


class _UserFields(BootstrapForm):
    """Fields shared by creating and editing an account, limited to what the actor may grant."""

    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(label=_("Work phone"), max_length=20, required=False)
    title = forms.CharField(label=_("Post"), max_length=50, required=False)
    scope = forms.ChoiceField(
        label=_("Scope"),
        widget=FastSelect,
        help_text=_("The user sees and works on this area and everything below it."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["scope"].choices = scope_area_choices(actor)
        self.fields["roles"].choices = [
            (name, ROLES[name][0]) for name in roles_grantable_by(actor)
        ]

    def clean_scope(self):
        area = area_in_scope(self.actor, self.cleaned_data["scope"])
        if area is None:
            raise ValidationError(_("Choose an area inside your scope."))
        return area


class _PasswordPair(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError(_("The two passwords differ."), code="password_mismatch")
        return second


class UserCreateForm(_PasswordPair, _UserFields):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only; used to log in."),
    )

    field_order = ["username", "full_name", "phone", "title", "scope", "roles"]

    def clean(self):
        data = super().clean()
        if data.get("password2") and not self.has_error("password2"):
            try:
                validate_password(data["password2"])
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class UserEditForm(_UserFields):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive user cannot log in; the account and its history are kept."),
    )


class PasswordSetForm(_PasswordPair, BootstrapForm):
    pass
