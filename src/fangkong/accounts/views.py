from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fangkong.accounts import selectors, services
from fangkong.accounts.forms import (
    LoginForm,
    PasswordSetForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from fangkong.accounts.roles import ROLES
from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.web import paginate, require_perm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(failure_limit=settings.AXES_FAILURE_LIMIT, **kwargs)


class LogoutView(auth_views.LogoutView):
    # POST only (Django's own rule): a link or an image must not end a session.
    http_method_names = ["post", "options"]


@require_safe
@require_perm("accounts.view_user")
def user_list(request):
    form = UserFilterForm(request.GET or None, user=request.user)
    users = selectors.user_list(user=request.user)
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            users = selectors.user_list(
                user=request.user, q=data["q"].strip(), role=data["role"], area=data["area"]
            )
        else:
            users = users.none()
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page_obj": paginate(request, users)},
    )


@require_http_methods(["GET", "POST"])
@require_perm("accounts.add_user")
def user_create(request):
    form = UserCreateForm(posted(request), actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                scope=data["scope"],
                roles=data["roles"],
                full_name=data["full_name"],
                phone=data["phone"],
                title=data["title"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.display_name})
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "creating": True},
        status=form_status(request, form),
    )


def _user_in_scope(request, pk):
    return get_object_or_404(selectors.user_list(user=request.user), pk=pk)


@require_http_methods(["GET", "POST"])
@require_perm("accounts.change_user")
def user_edit(request, pk):
    target = _user_in_scope(request, pk)
    held = sorted(g.name for g in target.groups.all())
    initial = {
        "full_name": target.full_name,
        "phone": target.phone,
        "title": target.title,
        "scope": target.scope_id,
        "roles": held,
        "is_active": target.is_active,
    }
    form = UserEditForm(posted(request), initial=initial, actor=request.user)
    grantable = {name for name, _label in form.fields["roles"].choices}
    kept_back = [
        ROLES[name][0] if name in ROLES else name for name in held if name not in grantable
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=target,
                scope=data["scope"],
                roles=data["roles"],
                full_name=data["full_name"],
                phone=data["phone"],
                title=data["title"],
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s saved.") % {"name": target.username})
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "target": target, "creating": False, "kept_back": kept_back},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm("accounts.change_user")
def user_password(request, pk):
    target = _user_in_scope(request, pk)
    form = PasswordSetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=target, password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="password1")
        else:
            messages.success(
                request, _("Password of %(name)s changed.") % {"name": target.username}
            )
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_password.html",
        {"form": form, "target": target},
        status=form_status(request, form),
    )
