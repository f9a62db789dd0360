import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.web import paginate, require_perm
from fangkong.isolation import selectors, services
from fangkong.isolation.forms import (
    CHECKOUT_REASONS,
    CheckInForm,
    CheckOutForm,
    RoomEditForm,
    RoomForm,
    ServiceTickForm,
    SiteForm,
    StayFilterForm,
    TransferCompleteForm,
    TransferFilterForm,
    TransferForm,
)
from fangkong.isolation.models import DailyService

VIEW_SITE = "isolation.view_site"
VIEW_STAY = "isolation.view_stay"
VIEW_TRANSFER = "isolation.view_transfer"

# The six items of the daily sheet: field, short label, icon.
SERVICE_ITEMS = [
    (field, DailyService._meta.get_field(field).verbose_name, icon)
    for field, icon in zip(
        DailyService.ITEMS,
        ("thermometer-half", "file-earmark-text", "fire", "cup-hot", "heart-pulse", "chat-heart"),
        strict=True,
    )
]


def _site(request, pk):
    return get_object_or_404(selectors.site_queryset(user=request.user), pk=pk)


def _site_with_occupancy(request, pk):
    return get_object_or_404(
        selectors.with_occupancy(selectors.site_queryset(user=request.user)).select_related("area"),
        pk=pk,
    )


# -- sites ----------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW_SITE)
def site_list(request):
    q = request.GET.get("q", "").strip()[:50]
    sites = list(selectors.site_list(user=request.user, q=q))
    for site in sites:
        site.free = selectors.free_beds(site)
    totals = {
        "capacity": sum(s.capacity for s in sites if s.active),
        "occupied": sum(s.occupied for s in sites),
    }
    totals["free"] = sum(s.free for s in sites if s.active)
    return render(request, "isolation/site_list.html", {"sites": sites, "totals": totals, "q": q})


@require_safe
@require_perm(VIEW_SITE)
def site_detail(request, pk):
    site = _site_with_occupancy(request, pk)
    site.free = selectors.free_beds(site)
    can_see_stays = request.user.has_perm(VIEW_STAY)
    return render(
        request,
        "isolation/site_detail.html",
        {
            "site": site,
            "rooms": list(selectors.rooms_with_occupancy(site=site)),
            "residents": list(selectors.residents(user=request.user, site=site))
            if can_see_stays
            else [],
            "transfers": list(selectors.transfers_of(user=request.user, site=site))
            if request.user.has_perm(VIEW_TRANSFER)
            else [],
            "room_form": RoomForm(),
        },
    )


def _site_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        "area": data["area"],
        "name": data["name"],
        "address": data["address"],
        "contact_name": data["contact_name"],
        "contact_phone": data["contact_phone"],
        "active": data["active"],
    }


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_SITE, "isolation.add_site")
def site_create(request):
    form = SiteForm(posted(request), user=request.user, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_create(actor=request.user, **_site_kwargs(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Site registered. Now add its rooms."))
            return redirect("isolation:site_detail", pk=site.pk)
    return render(
        request,
        "isolation/site_form.html",
        {"form": form, "site": None},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_SITE, "isolation.change_site")
def site_edit(request, pk):
    site = _site(request, pk)
    initial = {
        "name": site.name,
        "address": site.address,
        "area": site.area_id,
        "contact_name": site.contact_name,
        "contact_phone": site.contact_phone,
        "active": site.active,
    }
    form = SiteForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_update(actor=request.user, site=site, **_site_kwargs(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("isolation:site_detail", pk=site.pk)
    return render(
        request,
        "isolation/site_form.html",
        {"form": form, "site": site},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_SITE, "isolation.change_site")
def site_rooms(request, pk):
    """Add a room to a site."""
    site = _site(request, pk)
    form = RoomForm(posted(request), initial={"beds": 1, "in_service": True})
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_create(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Room %(room)s added.") % {"room": room.number})
            if "another" in request.POST:
                return redirect("isolation:site_rooms", pk=site.pk)
            return redirect("isolation:site_detail", pk=site.pk)
    return render(
        request,
        "isolation/room_form.html",
        {"form": form, "site": site, "room": None},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_SITE, "isolation.change_site")
def room_edit(request, pk):
    from fangkong.isolation.models import Room

    room = get_object_or_404(
        Room.objects.filter(site__in=selectors.site_queryset(user=request.user)).select_related(
            "site"
        ),
        pk=pk,
    )
    form = RoomEditForm(posted(request), initial={"beds": room.beds, "in_service": room.in_service})
    if request.method == "POST" and form.is_valid():
        try:
            services.room_update(actor=request.user, room=room, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("isolation:site_detail", pk=room.site_id)
    return render(
        request,
        "isolation/room_form.html",
        {"form": form, "site": room.site, "room": room},
        status=form_status(request, form),
    )


# -- check-in and check-out -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_SITE, VIEW_STAY, "isolation.add_stay")
def site_checkin(request, pk):
    site = _site(request, pk)
    form = CheckInForm(posted(request), user=request.user, site=site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stay = services.stay_check_in(
                actor=request.user, key_person=data["key_person"], site=site, room=data["room"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s checked in, room %(room)s.")
                % {"name": stay.key_person.person.name, "room": stay.room.number},
            )
            return redirect("isolation:site_detail", pk=site.pk)
    q = request.GET.get("q", "").strip()[:50]
    context = {
        "site": site,
        "form": form,
        **_picker(request, form, selectors.candidates(user=request.user, site=site, q=q)),
    }
    if request.htmx and request.htmx.target == "candidates":
        return render(request, "isolation/partials/candidates.html", context)
    return render(request, "isolation/checkin.html", context, status=form_status(request, form))


def _picker(request, form, candidates) -> dict:
    """The person picker of check-in and transfer: the candidates, and the chosen one kept
    at the top when a refused form comes back."""
    q = request.GET.get("q", "").strip()[:50]
    chosen = str((form.data.get("key_person") if form.is_bound else "") or "")
    if chosen.isdigit() and all(str(kp.pk) != chosen for kp in candidates):
        picked = selectors.candidate(user=request.user, pk=int(chosen))
        if picked is not None:
            candidates = [picked, *candidates]
    return {"q": q, "candidates": candidates, "chosen": chosen}


def _stay(request, pk):
    return get_object_or_404(
        selectors.stay_queryset(user=request.user).select_related(
            "site", "room", "key_person__person"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_STAY, "isolation.change_stay")
def stay_checkout(request, pk):
    stay = _stay(request, pk)
    form = CheckOutForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.stay_check_out(
                actor=request.user,
                stay=stay,
                reason=form.cleaned_data["reason"],
                measure=form.cleaned_data["measure"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s checked out.") % {"name": stay.key_person.person.name}
            )
            return redirect("isolation:site_detail", pk=stay.site_id)
    return render(
        request,
        "isolation/checkout.html",
        {"stay": stay, "form": form, "reasons": CHECKOUT_REASONS},
        status=form_status(request, form),
    )


@require_safe
@require_perm(VIEW_STAY)
def stay_list(request):
    form = StayFilterForm(request.GET or None, user=request.user)
    stays = selectors.stay_list(user=request.user, current=True)
    if form.is_bound:
        stays = (
            selectors.stay_list(user=request.user, **form.selector_kwargs())
            if form.is_valid()
            else stays.none()
        )
    return render(
        request, "isolation/stay_list.html", {"form": form, "page_obj": paginate(request, stays)}
    )


# -- daily services -------------------------------------------------------------------------


def _sheet_date(request) -> datetime.date:
    today = timezone.localdate()
    raw = request.GET.get("date", "")
    try:
        date = datetime.date.fromisoformat(raw) if raw else today
    except ValueError:
        date = today
    return min(date, today)


@require_safe
@require_perm(VIEW_SITE, VIEW_STAY, "isolation.add_dailyservice")
def site_services(request, pk):
    """The day's checklist of a site: one row per resident, six items to tick."""
    site = _site(request, pk)
    date = _sheet_date(request)
    rows = selectors.service_sheet(user=request.user, site=site, date=date)
    today = timezone.localdate()
    return render(
        request,
        "isolation/services.html",
        {
            "site": site,
            "date": date,
            "today": today,
            "previous": date - datetime.timedelta(days=1),
            "next": date + datetime.timedelta(days=1) if date < today else None,
            "rows": [_row(stay, service) for stay, service in rows],
            "done_count": sum(all(getattr(s, i) for i in DailyService.ITEMS) for _st, s in rows),
        },
    )


def _row(stay, service) -> dict:
    return {
        "stay": stay,
        "service": service,
        "items": [
            {"field": field, "label": label, "icon": icon, "done": getattr(service, field)}
            for field, label, icon in SERVICE_ITEMS
        ],
        "complete": all(getattr(service, f) for f in DailyService.ITEMS),
    }


@require_POST
@require_perm(VIEW_STAY, "isolation.add_dailyservice")
def stay_service(request, pk):
    """Tick or untick one item (htmx): answers the resident's row of the checklist."""
    stay = _stay(request, pk)
    form = ServiceTickForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "isolation/partials/service_error.html",
            {"message": _("Invalid input.")},
            status=400,
        )
    data = form.cleaned_data
    try:
        service = services.dailyservice_record(
            actor=request.user, stay=stay, date=data["date"], items={data["item"]: data["value"]}
        )
    except ValidationError as exc:
        message = " ".join(exc.messages)
        if request.htmx:
            # htmx swaps only successful answers: the refusal comes back inside the row.
            service = DailyService.objects.filter(stay=stay, date=data["date"]).first()
            service = service or DailyService(stay=stay, area_id=stay.area_id, date=data["date"])
            return render(
                request,
                "isolation/partials/service_row.html",
                {"row": _row(stay, service), "date": data["date"], "error": message},
            )
        messages.error(request, message)
        return redirect("isolation:site_services", pk=stay.site_id)
    if not request.htmx:
        url = reverse("isolation:site_services", kwargs={"pk": stay.site_id})
        return redirect(f"{url}?date={data['date'].isoformat()}")
    return render(
        request,
        "isolation/partials/service_row.html",
        {"row": _row(stay, service), "date": data["date"]},
    )


# -- transfers ------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW_TRANSFER)
def transfer_list(request):
    form = TransferFilterForm(request.GET or None, user=request.user)
    transfers = selectors.transfer_list(user=request.user)
    if form.is_bound:
        transfers = (
            selectors.transfer_list(user=request.user, **form.selector_kwargs())
            if form.is_valid()
            else transfers.none()
        )
    return render(
        request,
        "isolation/transfer_list.html",
        {"form": form, "page_obj": paginate(request, transfers)},
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_TRANSFER, "isolation.add_transfer")
def transfer_create(request):
    site_id = request.GET.get("site", "")
    initial = {"departed_at": timezone.localtime().replace(second=0, microsecond=0)}
    if site_id.isdigit():
        initial["site"] = int(site_id)
    form = TransferForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = services.transfer_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Transfer recorded."))
            return redirect("isolation:site_detail", pk=transfer.site_id)
    q = request.GET.get("q", "").strip()[:50]
    site = form.sites.get(initial.get("site")) if "site" in initial else None
    context = {
        "form": form,
        **_picker(request, form, selectors.candidates(user=request.user, site=site, q=q)),
    }
    if request.htmx and request.htmx.target == "candidates":
        return render(request, "isolation/partials/candidates.html", context)
    return render(
        request, "isolation/transfer_form.html", context, status=form_status(request, form)
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_TRANSFER)
def transfer_detail(request, pk):
    transfer = get_object_or_404(
        selectors.transfer_queryset(user=request.user).select_related(
            "site", "key_person__person", "recorded_by"
        ),
        pk=pk,
    )
    can_edit = request.user.has_perm("isolation.add_transfer")
    if request.method == "POST" and not can_edit:
        raise Http404
    initial = {
        "arrived_at": transfer.arrived_at and timezone.localtime(transfer.arrived_at),
        "disinfected": transfer.disinfected,
        "disinfected_at": transfer.disinfected_at and timezone.localtime(transfer.disinfected_at),
    }
    form = TransferCompleteForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_complete(actor=request.user, transfer=transfer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("isolation:transfer_detail", pk=transfer.pk)
    return render(
        request,
        "isolation/transfer_detail.html",
        {"transfer": transfer, "form": form, "can_edit": can_edit},
        status=form_status(request, form),
    )
