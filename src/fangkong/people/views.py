from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.web import client_origin, paginate, require_perm
from fangkong.people import selectors, services
from fangkong.people.forms import (
    HouseholdFilterForm,
    HouseholdForm,
    PersonFilterForm,
    PersonForm,
    household_choices,
)

PROTECTED_FIELDS = ("id_number", "phone")


@require_safe
@require_perm("people.view_person")
def person_list(request):
    form = PersonFilterForm(request.GET or None, user=request.user)
    persons = selectors.person_list(user=request.user)
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            persons = selectors.person_list(
                user=request.user,
                q=data["q"],
                area=data["area"],
                sex=data["sex"],
                age_min=data["age_min"],
                age_max=data["age_max"],
            )
        else:
            persons = persons.none()
    return render(
        request,
        "people/person_list.html",
        {"form": form, "page_obj": paginate(request, persons)},
    )


def _person(request, pk):
    return get_object_or_404(selectors.person_queryset(user=request.user), pk=pk)


@require_safe
@require_perm("people.view_person")
def person_detail(request, pk):
    person = _person(request, pk)
    members = (
        list(selectors.person_list(user=request.user, household=person.household_id))
        if person.household_id
        else []
    )
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "members": members, "protected_fields": PROTECTED_FIELDS},
    )


@require_POST
@require_perm("people.view_person", "people.reveal_pii")
def person_reveal(request, pk, field):
    if field not in PROTECTED_FIELDS:
        raise Http404
    person = _person(request, pk)
    value = services.person_reveal(
        actor=request.user, person=person, field=field, origin=client_origin(request)
    )
    template = "people/partials/revealed.html" if request.htmx else "people/revealed.html"
    return render(request, template, {"person": person, "field": field, "value": value})


def _save_person(request, form, person=None):
    data = form.service_kwargs()
    kwargs = {
        "actor": request.user,
        "area": data["area"],
        "name": data["name"],
        "id_number": data["id_number"],
        "phone": data["phone"],
        "household": data["household"],
        "sex": data["sex"],
        "birth_date": data["birth_date"],
        "address": data["address"],
        "relation": data["relation"],
        "occupation": data["occupation"],
        "workplace": data["workplace"],
        "note": data["note"],
    }
    if person is None:
        return services.person_create(**kwargs)
    return services.person_update(person=person, **kwargs)


@require_http_methods(["GET", "POST"])
@require_perm("people.view_person", "people.add_person")
def person_create(request):
    initial = {}
    household_id = request.GET.get("household", "")
    if household_id.isdigit():
        household = selectors.household_queryset(user=request.user).filter(pk=household_id)
        household = household.first()
        if household is not None:
            initial = {
                "household": household.pk,
                "area": household.area_id,
                "address": household.address,
            }
    form = PersonForm(posted(request), initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = _save_person(request, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s registered.") % {"name": person.name})
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": None},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm("people.view_person", "people.change_person")
def person_edit(request, pk):
    person = _person(request, pk)
    initial = {
        "name": person.name,
        "area": person.area_id,
        "household": person.household_id,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "address": person.address,
        "relation": person.relation,
        "occupation": person.occupation,
        "workplace": person.workplace,
        "note": person.note,
    }
    form = PersonForm(posted(request), initial=initial, user=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            _save_person(request, form, person)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person},
        status=form_status(request, form),
    )


@require_safe
@require_perm("people.view_household")
def household_options(request):
    """The <option>s of a person form's household select for the chosen area (htmx)."""
    choices = household_choices(request.user, request.GET.get("area", ""))
    return render(request, "people/partials/household_options.html", {"choices": choices})


@require_safe
@require_perm("people.view_household")
def household_list(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    households = selectors.household_list(user=request.user)
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            households = selectors.household_list(user=request.user, q=data["q"], area=data["area"])
        else:
            households = households.none()
    page_obj = paginate(request, households)
    sizes = selectors.household_member_counts(
        user=request.user, household_ids=[h.pk for h in page_obj]
    )
    for household in page_obj:
        household.member_count = sizes.get(household.pk, 0)
    return render(request, "people/household_list.html", {"form": form, "page_obj": page_obj})


def _household(request, pk):
    return get_object_or_404(selectors.household_queryset(user=request.user), pk=pk)


@require_safe
@require_perm("people.view_household")
def household_detail(request, pk):
    household = _household(request, pk)
    members = list(selectors.person_list(user=request.user, household=household.pk))
    return render(
        request, "people/household_detail.html", {"household": household, "members": members}
    )


def _save_household(request, form, household=None):
    data = form.cleaned_data
    kwargs = {
        "actor": request.user,
        "area": data["area"],
        "address": data["address"],
        "head_name": data["head_name"],
        "number": data["number"].strip(),
        "note": data["note"].strip(),
    }
    if household is None:
        return services.household_create(**kwargs)
    return services.household_update(household=household, **kwargs)


@require_http_methods(["GET", "POST"])
@require_perm("people.view_household", "people.add_household")
def household_create(request):
    form = HouseholdForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household = _save_household(request, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Household registered."))
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request,
        "people/household_form.html",
        {"form": form, "household": None},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm("people.view_household", "people.change_household")
def household_edit(request, pk):
    household = _household(request, pk)
    initial = {
        "area": household.area_id,
        "head_name": household.head_name,
        "address": household.address,
        "number": household.number,
        "note": household.note,
    }
    form = HouseholdForm(posted(request), initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _save_household(request, form, household)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request,
        "people/household_form.html",
        {"form": form, "household": household},
        status=form_status(request, form),
    )
