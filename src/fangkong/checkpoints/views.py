"""Pages of the checkpoints module. The registration page is built for a phone held in one
hand at a queue of cars; the pre-fill page is public (the traveller's own phone)."""

import io
import uuid

import segno
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.checkpoints import selectors, services
from fangkong.checkpoints.forms import (
    CheckpointFilterForm,
    CheckpointForm,
    CountsFilterForm,
    RegistrationFilterForm,
)
from fangkong.checkpoints.models import Checkpoint, Outcome, VehicleCheck
from fangkong.checkpoints.plates import parse_plate
from fangkong.checkpoints.regions import origin_suggestions, region_label
from fangkong.core import pii
from fangkong.core.api import area_search
from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.idcard import normalize as normalize_id_number
from fangkong.core.idcard import parse_id_number
from fangkong.core.models import Area
from fangkong.core.web import paginate, require_perm
from fangkong.people.models import Person

VIEW = "checkpoints.view_checkpoint"
REGISTER = "checkpoints.add_vehiclecheck"
VIEW_CHECKS = "checkpoints.view_vehiclecheck"
# Destinations offered for one search.
DESTINATION_LIMIT = 12
# Occupant fields of the registration form ("o3-name" is field `name` of card 3).
OCCUPANT_FIELDS = (
    "name",
    "id_number",
    "phone",
    "origin",
    "travel_history",
    "temperature",
    "destination_area",
    "destination_address",
    "outcome",
    "note",
)
OCCUPANT_FLAGS = ("is_driver", "from_risk_area", "case_contact", "notice_given", "flagged")
# Submissions of the public pre-fill page per address and window.
PREFILL_RATE = 20
PREFILL_WINDOW = 600


def _svg(data: str, scale: int = 6) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, svgclass="fk-qr", border=2
    )
    # segno's own SVG: paths and numbers only, nothing from the request.
    return mark_safe(buffer.getvalue().decode())  # noqa: S308


# -- checkpoints ---------------------------------------------------------------------------


@require_safe
@require_perm(VIEW)
def checkpoint_list(request):
    form = CheckpointFilterForm(request.GET or None, user=request.user)
    checkpoints = selectors.checkpoint_list(user=request.user)
    if form.is_bound:
        if form.is_valid():
            state = form.cleaned_data["state"]
            checkpoints = selectors.checkpoint_list(
                user=request.user,
                q=form.cleaned_data["q"],
                is_open={"open": True, "closed": False}.get(state),
            )
        else:
            checkpoints = checkpoints.none()
    return render(
        request,
        "checkpoints/checkpoint_list.html",
        {"form": form, "page_obj": paginate(request, checkpoints)},
    )


def _checkpoint(request, pk) -> Checkpoint:
    return get_object_or_404(selectors.checkpoint_queryset(user=request.user), pk=pk)


@require_safe
@require_perm(VIEW)
def checkpoint_detail(request, pk):
    checkpoint = _checkpoint(request, pk)
    # The duty day in progress: after midnight a night shift still counts to the day it began.
    shifts = list(checkpoint.shifts.all())
    _shift, today = services.shift_at(shifts, timezone.now())
    rows = selectors.counts(
        user=request.user, date_from=today, date_to=today, checkpoint=checkpoint.pk
    )
    recent = []
    if request.user.has_perm(VIEW_CHECKS):
        recent = list(selectors.vehiclecheck_list(user=request.user, checkpoint=checkpoint.pk)[:10])
    return render(
        request,
        "checkpoints/checkpoint_detail.html",
        {
            "checkpoint": checkpoint,
            "shifts": shifts,
            "staff": list(checkpoint.staff.select_related("scope").order_by("username")),
            "rows": rows,
            "totals": selectors.count_totals(rows),
            "recent": recent,
            "prefills": selectors.prefills_waiting(checkpoint=checkpoint)
            if request.user.has_perm(REGISTER)
            else [],
        },
    )


def _shift_text(checkpoint) -> str:
    return "\n".join(f"{s.name} {s.starts:%H:%M}-{s.ends:%H:%M}" for s in checkpoint.shifts.all())


def _save_checkpoint(request, form, checkpoint=None):
    data = form.cleaned_data
    kwargs = {
        "actor": request.user,
        "area": data["area"],
        "name": data["name"],
        "level": data["level"],
        "kind": data["kind"],
        "location": data["location"],
        "is_open": data["is_open"],
        "staff": data["staff"],
        "shifts": data["shifts"],
    }
    if checkpoint is None:
        return services.checkpoint_create(**kwargs)
    return services.checkpoint_update(checkpoint=checkpoint, **kwargs)


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, "checkpoints.add_checkpoint")
def checkpoint_create(request):
    form = CheckpointForm(posted(request), user=request.user, initial={"is_open": True})
    if request.method == "POST" and form.is_valid():
        try:
            checkpoint = _save_checkpoint(request, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Checkpoint %(name)s set up.") % {"name": checkpoint.name})
            return redirect("checkpoints:checkpoint_detail", pk=checkpoint.pk)
    return render(
        request,
        "checkpoints/checkpoint_form.html",
        {"form": form, "checkpoint": None},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, "checkpoints.change_checkpoint")
def checkpoint_edit(request, pk):
    checkpoint = _checkpoint(request, pk)
    initial = {
        "name": checkpoint.name,
        "level": checkpoint.level,
        "kind": checkpoint.kind,
        "area": checkpoint.area_id,
        "location": checkpoint.location,
        "is_open": checkpoint.is_open,
        "staff": [str(pk) for pk in checkpoint.staff.values_list("pk", flat=True)],
        "shifts": _shift_text(checkpoint),
    }
    form = CheckpointForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_checkpoint(request, form, checkpoint)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("checkpoints:checkpoint_detail", pk=checkpoint.pk)
    return render(
        request,
        "checkpoints/checkpoint_form.html",
        {"form": form, "checkpoint": checkpoint},
        status=form_status(request, form),
    )


@require_safe
@require_perm(VIEW, "checkpoints.change_checkpoint")
def checkpoint_qr(request, pk):
    """The poster to print and put up at the checkpoint: its QR code opens the pre-fill page."""
    checkpoint = _checkpoint(request, pk)
    url = request.build_absolute_uri(
        reverse("checkpoints:prefill_start", kwargs={"token": services.qr_token(checkpoint)})
    )
    return render(
        request,
        "checkpoints/checkpoint_qr.html",
        {"checkpoint": checkpoint, "url": url, "svg": _svg(url, scale=8)},
    )


@require_POST
@require_perm(VIEW, "checkpoints.change_checkpoint")
def checkpoint_qr_renew(request, pk):
    checkpoint = _checkpoint(request, pk)
    services.checkpoint_renew_qr(actor=request.user, checkpoint=checkpoint)
    messages.success(request, _("The old QR codes no longer work: print the new one."))
    return redirect("checkpoints:checkpoint_qr", pk=checkpoint.pk)


# -- registering a vehicle -----------------------------------------------------------------


def _empty_occupant(index) -> dict:
    return {
        "index": index,
        "values": {"outcome": Outcome.PASS, "notice_given": True},
        "errors": {},
    }


def _posted_occupants(post) -> list[dict]:
    """The occupant cards of a posted form, in page order."""
    cards = []
    for raw_index in post.getlist("o"):
        if not raw_index.isdigit():
            continue
        prefix = f"o{raw_index}-"
        values = {name: post.get(prefix + name, "") for name in OCCUPANT_FIELDS}
        values.update({name: post.get(prefix + name) == "on" for name in OCCUPANT_FLAGS})
        values["destination_area_name"] = post.get(prefix + "destination_area_name", "")
        cards.append({"index": int(raw_index), "values": values, "errors": {}})
    return cards


def _service_occupant(values: dict) -> dict:
    data = {name: values.get(name, "") for name in OCCUPANT_FIELDS}
    data.update({name: bool(values.get(name)) for name in OCCUPANT_FLAGS})
    return data


def _spread_errors(exc: ValidationError, cards: list[dict]) -> list[str]:
    """Put "occupants.<n>.<field>" errors on their card; return the vehicle's own errors."""
    general = []
    for key, messages_ in exc.message_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "occupants" and parts[1].isdigit():
            position = int(parts[1])
            if position < len(cards):
                cards[position]["errors"].setdefault(parts[2], []).extend(messages_)
                continue
        if key in ("plate", "vehicle_kind"):
            continue
        general.extend(messages_)
    return general


def _prefilled_cards(data: dict) -> list[dict]:
    cards = []
    for index, person in enumerate(data.get("occupants", [])):
        values = dict(person)
        values.update({"outcome": Outcome.PASS, "notice_given": True, "temperature": ""})
        cards.append({"index": index, "values": values, "errors": {}})
    return cards


def _summary(vehicle: VehicleCheck) -> str:
    occupants = selectors.occupants_of(vehicle)
    fever = sum(1 for o in occupants if o.outcome == Outcome.FEVER_REFERRAL)
    pushed = sum(1 for o in occupants if o.pushed)
    text = _("%(plate)s registered: %(n)d persons") % {
        "plate": vehicle.plate or _("on foot"),
        "n": len(occupants),
    }
    if pushed:
        text += _(", %(n)d pushed to their village") % {"n": pushed}
    if fever:
        text += _(", %(n)d referred to the fever clinic (alert raised)") % {"n": fever}
    return text


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, REGISTER)
def checkpoint_register(request, pk):
    checkpoint = _checkpoint(request, pk)
    errors: list[str] = []
    field_errors: dict[str, list[str]] = {}
    prefill = None
    vehicle = {"plate": "", "vehicle_kind": VehicleCheck.VehicleKind.CAR, "plate_region": ""}
    cards = [_empty_occupant(0)]
    code = request.POST.get("prefill") if request.method == "POST" else request.GET.get("code")
    if code:
        prefill = selectors.prefill_find(user=request.user, code=code)
        if prefill is None:
            errors.append(_("No waiting pre-filled entry has this code."))
        elif request.method == "GET":
            data = services.prefill_data(prefill)
            vehicle.update(plate=data["plate"], vehicle_kind=data["vehicle_kind"])
            cards = _prefilled_cards(data)
    status = 200
    if request.method == "POST":
        vehicle.update(
            plate=request.POST.get("plate", ""),
            vehicle_kind=request.POST.get("vehicle_kind", ""),
        )
        cards = _posted_occupants(request.POST) or []
        if not errors:
            try:
                registered = services.vehicle_register(
                    actor=request.user,
                    checkpoint=checkpoint,
                    plate=vehicle["plate"],
                    vehicle_kind=vehicle["vehicle_kind"],
                    occupants=[_service_occupant(card["values"]) for card in cards],
                    idempotency_key=request.POST.get("idempotency_key") or None,
                    direction=request.POST.get("direction") or VehicleCheck.Direction.IN,
                    prefill=prefill,
                )
            except ValidationError as exc:
                errors.extend(_spread_errors(exc, cards))
                field_errors = {
                    key: exc.message_dict[key]
                    for key in ("plate", "vehicle_kind")
                    if key in exc.message_dict
                }
            else:
                messages.success(request, _summary(registered))
                return redirect(
                    reverse("checkpoints:checkpoint_register", kwargs={"pk": checkpoint.pk})
                    + f"?last={registered.pk}"
                )
        status = 400
        if not cards:
            cards = [_empty_occupant(0)]
    last = None
    last_id = request.GET.get("last", "")
    if last_id.isdigit() and request.user.has_perm(VIEW_CHECKS):
        last = selectors.vehiclecheck_queryset(user=request.user).filter(pk=last_id).first()
    return render(
        request,
        "checkpoints/register.html",
        {
            "checkpoint": checkpoint,
            "vehicle": vehicle,
            "cards": cards,
            "next_index": max(card["index"] for card in cards) + 1,
            "blank_card": _empty_occupant("__i__"),
            "errors": errors,
            "field_errors": field_errors,
            "prefill": prefill,
            "prefill_code": code or "",
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
            "vehicle_kinds": VehicleCheck.VehicleKind.choices,
            "outcomes": Outcome.choices,
            "fever_threshold": settings.FANGKONG_FEVER_THRESHOLD,
            "origins": origin_suggestions(),
            "last": last,
        },
        status=status,
    )


def _param(request, suffix: str) -> str:
    """The value of the field that triggered an htmx request ("o3-id_number" → id_number)."""
    for key, value in request.GET.items():
        if key == suffix or key.endswith("-" + suffix):
            return value
    return ""


@require_safe
@require_perm(VIEW, REGISTER)
def id_info(request):
    """What an ID number tells as it is typed, and whether the registry knows the person."""
    number = normalize_id_number(_param(request, "id_number"))
    context = {"length": len(number), "info": None, "error": "", "person": None}
    if len(number) >= 18:
        try:
            info = parse_id_number(number)
        except ValidationError as exc:
            context["error"] = exc.messages[0]
        else:
            context["info"] = info
            context["region"] = region_label(info.region_code)
            # The staff hold the card: recognising its holder shows the name and village the
            # registry has, never the phone or anything else.
            context["person"] = (
                Person.objects.filter(id_number_hash=pii.digest(info.number))
                .select_related("area")
                .only("name", "area__name", "phone_masked")
                .first()
            )
    return render(request, "checkpoints/partials/id_info.html", context)


@require_safe
@require_perm(VIEW, REGISTER)
def plate_info(request):
    text = _param(request, "plate")
    context = {"plate": None, "error": ""}
    if text.strip():
        try:
            context["plate"] = parse_plate(text)
        except ValidationError as exc:
            context["error"] = exc.messages[0]
    return render(request, "checkpoints/partials/plate_info.html", context)


@require_safe
@require_perm(VIEW, REGISTER)
def destination_search(request):
    return _destinations(request)


def _destinations(request):
    """Villages and grids of the district whose name, pinyin or initials start with the text
    ("tg" finds 太公社区): a traveller may go anywhere in the district, whatever the staff's
    scope (area names are not personal data)."""
    text = _param(request, "destination_q").strip()
    index = request.GET.get("i", "")
    results = []
    if text:
        areas = Area.objects.within(settings.FANGKONG_DISTRICT_CODE).filter(
            level__gte=Area.Level.VILLAGE
        )
        results = list(
            area_search(areas, text)
            .select_related("parent")
            .order_by("level", "code")[:DESTINATION_LIMIT]
        )
    return render(
        request,
        "checkpoints/partials/destinations.html",
        {"results": results, "q": text, "index": index if index.isdigit() else ""},
    )


# -- lists ---------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW_CHECKS)
def registration_list(request):
    form = RegistrationFilterForm(request.GET or None, user=request.user)
    registrations = selectors.registration_list(user=request.user)
    if form.is_bound:
        if form.is_valid():
            registrations = selectors.registration_list(user=request.user, **form.selector_kwargs())
        else:
            registrations = registrations.none()
    return render(
        request,
        "checkpoints/registration_list.html",
        {"form": form, "page_obj": paginate(request, registrations)},
    )


@require_safe
@require_perm(VIEW_CHECKS)
def vehiclecheck_detail(request, pk):
    vehicle = get_object_or_404(selectors.vehiclecheck_queryset(user=request.user), pk=pk)
    return render(
        request,
        "checkpoints/vehiclecheck_detail.html",
        {"vehicle": vehicle, "occupants": selectors.occupants_of(vehicle)},
    )


@require_safe
@require_perm(VIEW_CHECKS)
def counts(request):
    form = CountsFilterForm(request.GET, user=request.user)
    rows = []
    if form.is_valid():
        data = form.cleaned_data
        rows = selectors.counts(
            user=request.user,
            date_from=data["date_from"],
            date_to=data["date_to"],
            checkpoint=data["checkpoint"],
        )
    return render(
        request,
        "checkpoints/counts.html",
        {"form": form, "rows": rows, "totals": selectors.count_totals(rows)},
    )


# -- the traveller's pre-fill (public) -------------------------------------------------------


def _public_checkpoint(token: str) -> Checkpoint:
    checkpoint = services.checkpoint_for_token(token)
    if checkpoint is None:
        raise Http404
    return checkpoint


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _over_rate(request) -> bool:
    """Count one submission from this address; True once it exceeds the window's allowance."""
    key = f"checkpoints:prefill:{_client_ip(request)}"
    window = getattr(settings, "FANGKONG_PREFILL_WINDOW", PREFILL_WINDOW)
    rate = getattr(settings, "FANGKONG_PREFILL_RATE", PREFILL_RATE)
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > rate


@require_safe
def prefill_destinations(request, token):
    """The destination search of the public page (names of the district's villages only)."""
    _public_checkpoint(token)
    return _destinations(request)


@require_http_methods(["GET", "POST"])
def prefill_start(request, token):
    checkpoint = _public_checkpoint(token)
    errors: list[str] = []
    field_errors: dict[str, list[str]] = {}
    vehicle = {"plate": "", "vehicle_kind": VehicleCheck.VehicleKind.CAR}
    cards = [_empty_occupant(0)]
    status = 200
    if request.method == "POST":
        if _over_rate(request):
            return render(
                request,
                "checkpoints/prefill_limited.html",
                {"checkpoint": checkpoint, "minutes": PREFILL_WINDOW // 60},
                status=429,
            )
        vehicle.update(
            plate=request.POST.get("plate", ""),
            vehicle_kind=request.POST.get("vehicle_kind", ""),
        )
        cards = _posted_occupants(request.POST) or [_empty_occupant(0)]
        try:
            prefill = services.prefill_create(
                checkpoint=checkpoint,
                plate=vehicle["plate"],
                vehicle_kind=vehicle["vehicle_kind"],
                occupants=[
                    {
                        k: v
                        for k, v in _service_occupant(card["values"]).items()
                        if k not in ("temperature", "outcome", "flagged", "notice_given")
                    }
                    for card in cards
                ],
            )
        except ValidationError as exc:
            errors = _spread_errors(exc, cards)
            field_errors = {
                key: exc.message_dict[key]
                for key in ("plate", "vehicle_kind")
                if key in exc.message_dict
            }
            status = 400
        else:
            return redirect("checkpoints:prefill_done", token=token, code=prefill.code)
    return render(
        request,
        "checkpoints/prefill_start.html",
        {
            "checkpoint": checkpoint,
            "token": token,
            "vehicle": vehicle,
            "cards": cards,
            "next_index": max(card["index"] for card in cards) + 1,
            "blank_card": _empty_occupant("__i__"),
            "errors": errors,
            "field_errors": field_errors,
            "vehicle_kinds": VehicleCheck.VehicleKind.choices,
            "origins": origin_suggestions(),
            "public": True,
        },
        status=status,
    )


@require_safe
def prefill_done(request, token, code):
    checkpoint = _public_checkpoint(token)
    prefill = (
        checkpoint.prefills.filter(code=code.upper(), used_at__isnull=True)
        .filter(expires_at__gt=timezone.now())
        .first()
    )
    if prefill is None:
        raise Http404
    return render(
        request,
        "checkpoints/prefill_done.html",
        {"checkpoint": checkpoint, "prefill": prefill, "svg": _svg(prefill.code, scale=10)},
    )
