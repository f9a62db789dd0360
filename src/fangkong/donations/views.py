from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.web import client_origin, paginate, require_perm
from fangkong.donations import certificate, selectors, services
from fangkong.donations.forms import (
    DisbursementForm,
    DonationFilterForm,
    DonationForm,
    DonorFilterForm,
    DonorForm,
    ReceiveForm,
    donation_filters,
    item_map,
    line_formset,
)
from fangkong.donations.models import Donation, Donor

VIEW = selectors.VIEW
VIEW_DONOR = selectors.VIEW_DONOR
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _donor(request, pk) -> Donor:
    return get_object_or_404(selectors.donor_queryset(user=request.user), pk=pk)


def _donation(request, pk) -> Donation:
    return get_object_or_404(
        selectors.donation_queryset(user=request.user).select_related(
            "donor", "area", "warehouse", "inbound", "created_by"
        ),
        pk=pk,
    )


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# -- donors ---------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW_DONOR)
def donor_list(request):
    form = DonorFilterForm(request.GET or None)
    q = kind = ""
    if form.is_bound and form.is_valid():
        q, kind = form.cleaned_data["q"].strip(), form.cleaned_data["kind"]
    page = paginate(request, selectors.donor_list(user=request.user, q=q, kind=kind))
    return render(request, "donations/donor_list.html", {"page_obj": page, "form": form})


def _donor_form(request, donor=None):
    initial = {}
    if donor is not None:
        initial = {
            key: getattr(donor, key)
            for key in (
                "kind",
                "name",
                "credit_code",
                "contact_name",
                "anonymous",
                "disclose_name",
                "address",
                "note",
            )
        }
    form = DonorForm(posted(request), initial=initial, donor=donor)
    if request.method == "POST" and form.is_valid():
        try:
            if donor is None:
                donor = services.donor_create(actor=request.user, **form.service_kwargs())
            else:
                donor = services.donor_update(
                    actor=request.user, donor=donor, **form.service_kwargs(keep_phone=True)
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Donor saved."))
            return redirect("donations:donor_detail", pk=donor.pk)
    return render(
        request,
        "donations/donor_form.html",
        {"form": form, "donor": donor},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_DONOR, selectors.ADD_DONOR)
def donor_create(request):
    if not request.user.scope_id:
        raise Http404
    return _donor_form(request)


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_DONOR, selectors.CHANGE_DONOR)
def donor_edit(request, pk):
    return _donor_form(request, _donor(request, pk))


@require_safe
@require_perm(VIEW_DONOR)
def donor_detail(request, pk):
    donor = _donor(request, pk)
    donations = selectors.donation_queryset(user=request.user).filter(donor=donor)
    return render(
        request,
        "donations/donor_detail.html",
        {"donor": donor, "donations": donations.select_related("area")[:100]},
    )


@require_POST
@require_perm(VIEW_DONOR, services.REVEAL)
def donor_reveal(request, pk):
    donor = _donor(request, pk)
    value = services.donor_reveal_phone(
        actor=request.user, donor=donor, origin=client_origin(request)
    )
    return render(request, "donations/partials/revealed.html", {"donor": donor, "value": value})


# -- donations ------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW)
def donation_list(request):
    form = DonationFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = donation_filters(form.cleaned_data)
    page = paginate(request, selectors.donation_list(user=request.user, **filters))
    return render(request, "donations/donation_list.html", {"page_obj": page, "form": form})


def _compose(request, donation=None):
    items = item_map()
    initial: dict = {"received_on": timezone.localdate()}
    lines_initial: list[dict] = []
    if donation is not None:
        initial = {
            "area": donation.area_id,
            "donor": str(donation.donor_id),
            "received_on": donation.received_on,
            "amount": donation.amount or None,
            "channel": donation.channel,
            "designation": donation.designation,
            "purpose": donation.purpose,
            "note": donation.note,
        }
        lines_initial = [
            {
                "item": str(line.item_id),
                "quantity": line.quantity,
                "value": line.value,
                "note": line.note,
            }
            for line in selectors.lines_of(donation)
        ]
        # An item taken out of the catalogue since still shows on its line.
        for line in selectors.lines_of(donation):
            items.setdefault(str(line.item_id), line.item)
    elif request.GET.get("donor"):
        initial["donor"] = request.GET["donor"]
    form = DonationForm(posted(request), user=request.user, donation=donation, initial=initial)
    received = donation is not None and donation.goods_received
    formset = line_formset(posted(request), items=items, initial=lines_initial, locked=received)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        kwargs = {
            "actor": request.user,
            "donor": data["donor"],
            "received_on": data["received_on"],
            "amount": data["amount"],
            "channel": data["channel"],
            "designation": data["designation"],
            "purpose": data["purpose"],
            "note": data["note"],
            "lines": None if received else formset.lines(),
        }
        try:
            if donation is None:
                kwargs["lines"] = kwargs["lines"] or []
                donation = services.donation_create(area=data["area"], **kwargs)
            else:
                donation = services.donation_update(donation=donation, **kwargs)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            line_errors = errors.pop("lines", [])
            add_service_errors(form, ValidationError(errors) if errors else exc)
            if not hasattr(exc, "error_dict"):
                line_errors = []
            formset.service_errors = line_errors
        else:
            messages.success(request, _("Donation %(number)s saved.") % {"number": donation.number})
            return redirect("donations:detail", pk=donation.pk)
    failed = request.method == "POST" and (
        form.errors or formset.total_error_count() or getattr(formset, "service_errors", None)
    )
    return render(
        request,
        "donations/donation_form.html",
        {"form": form, "formset": formset, "donation": donation, "locked": received},
        status=400 if failed else 200,
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, selectors.ADD, VIEW_DONOR)
def donation_create(request):
    if not request.user.scope_id:
        raise Http404
    return _compose(request)


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, selectors.CHANGE, VIEW_DONOR)
def donation_edit(request, pk):
    return _compose(request, _donation(request, pk))


def _detail(request, donation, *, receive_form=None, disburse_form=None, status=200):
    user = request.user
    can_receive = (
        donation.has_goods
        and not donation.goods_received
        and user.has_perm(selectors.CHANGE)
        and user.has_perm(selectors.WAREHOUSE)
    )
    if can_receive and receive_form is None:
        receive_form = ReceiveForm(user=user, donation=donation)
    can_disburse = donation.balance > 0 and user.has_perm(selectors.DISBURSE)
    if can_disburse and disburse_form is None:
        disburse_form = DisbursementForm(initial={"paid_on": timezone.localdate()})
    return render(
        request,
        "donations/donation_detail.html",
        {
            "donation": donation,
            "lines": selectors.lines_of(donation),
            "disbursements": selectors.disbursements_of(donation),
            "destinations": selectors.destinations([donation.pk]),
            "receive_form": receive_form if can_receive else None,
            "disburse_form": disburse_form if can_disburse else None,
        },
        status=status,
    )


@require_safe
@require_perm(VIEW)
def donation_detail(request, pk):
    return _detail(request, _donation(request, pk))


@require_POST
@require_perm(VIEW, selectors.CHANGE, selectors.WAREHOUSE)
def donation_receive(request, pk):
    donation = _donation(request, pk)
    form = ReceiveForm(request.POST, user=request.user, donation=donation)
    if form.is_valid():
        try:
            donation = services.donation_goods_receive(
                actor=request.user,
                donation=donation,
                warehouse=form.cleaned_data["warehouse"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "warehouse")
        else:
            messages.success(
                request,
                _("The goods of %(number)s are in stock at %(warehouse)s.")
                % {"number": donation.number, "warehouse": donation.warehouse.name},
            )
            return redirect("donations:detail", pk=pk)
    if donation.goods_received or not donation.has_goods:
        messages.error(request, _message(ValidationError(form.errors.get("warehouse", []))))
        return redirect("donations:detail", pk=pk)
    return _detail(request, donation, receive_form=form, status=400)


@require_POST
@require_perm(VIEW, selectors.DISBURSE)
def donation_disburse(request, pk):
    donation = _donation(request, pk)
    form = DisbursementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.disbursement_create(
                actor=request.user,
                donation=donation,
                amount=data["amount"],
                purpose=data["purpose"],
                paid_on=data["paid_on"],
                approved_by=data["approved_by"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("donations:detail", pk=pk)
    if donation.balance <= 0:
        messages.error(request, _("Nothing of this donation's money is left."))
        return redirect("donations:detail", pk=pk)
    return _detail(request, donation, disburse_form=form, status=400)


@require_safe
@require_perm(VIEW)
def donation_certificate(request, pk):
    donation = _donation(request, pk)
    content = certificate.build(donation, selectors.lines_of(donation))
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = _attachment(certificate.filename(donation))
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"certificate.docx\"; filename*=utf-8''{quote(name)}"
