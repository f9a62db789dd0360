"""The public self-registration (返乡登记) pages: no login, rate-limited per address.

Nothing here reads or shows an existing record: the page answers the same whether the person
is known, already registered or new, so it cannot be used to probe the ledger.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from fangkong.core.forms import add_service_errors
from fangkong.core.models import Area
from fangkong.ledger import services
from fangkong.ledger.forms import SelfRegistrationForm

AREA_RESULTS = 20
WINDOW_SECONDS = 3600


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _over_limit(request, bucket: str, per_hour: int) -> bool:
    """Count this request against the caller's address; True when the hour's quota is used.

    A fixed window in the cache (shared by the workers when the cache is Redis).
    """
    ip = request.META.get("REMOTE_ADDR") or "unknown"
    key = f"fk:ledger:{bucket}:{ip}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired between add and incr.
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > per_hour


def _district() -> str:
    return settings.FANGKONG_DISTRICT_CODE


@require_http_methods(["GET", "POST"])
def selfreg(request):
    district = Area.objects.filter(code=_district()).first()
    form = SelfRegistrationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if _over_limit(request, "selfreg", _limit("FANGKONG_SELF_REGISTRATION_PER_HOUR", 10)):
            return render(
                request, "ledger/selfreg_limited.html", {"district": district}, status=429
            )
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A bot filled the hidden field: answer as if registered, store nothing.
                return redirect("ledger:selfreg_done")
            try:
                services.selfregistration_submit(
                    district=_district(),
                    area=data["area"],
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    origin=data["origin"],
                    arrived_on=data["arrived_on"],
                    address=data["address"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("ledger:selfreg_done")
        status = 400
    chosen = None
    area_value = form["area"].value() if form.is_bound else ""
    if area_value and str(area_value).isdigit():
        chosen = (
            Area.objects.within(_district())
            .filter(code=area_value, level=Area.Level.VILLAGE)
            .select_related("parent")
            .first()
        )
    return render(
        request,
        "ledger/selfreg.html",
        {"form": form, "district": district, "chosen": chosen},
        status=status,
    )


@require_safe
def selfreg_done(request):
    return render(request, "ledger/selfreg_done.html")


@require_safe
def selfreg_areas(request):
    """Villages of the district matching a name, full pinyin or initials (htmx)."""
    if _over_limit(request, "selfreg-areas", _limit("FANGKONG_SELF_REGISTRATION_SEARCHES", 600)):
        return render(request, "ledger/partials/selfreg_areas.html", {"limited": True}, status=429)
    text = request.GET.get("q", "").strip()[:30]
    results = []
    if text:
        villages = Area.objects.within(_district()).filter(level=Area.Level.VILLAGE)
        if text.isascii():
            key = text.lower().replace(" ", "")
            condition = Q(initials__startswith=key) | Q(pinyin__contains=key)
        else:
            condition = Q(name__contains=text)
        results = list(
            villages.filter(condition).select_related("parent").order_by("code")[:AREA_RESULTS]
        )
    return render(
        request,
        "ledger/partials/selfreg_areas.html",
        {"results": results, "q": text, "limit": AREA_RESULTS},
    )
