from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fangkong.command.forms import area_choices, figure_query
from fangkong.command.selectors import figures
from fangkong.core.web import require_perm

VIEW_DASHBOARD = "command.view_dashboard"
# Seconds between two reloads of the dashboard's figures.
REFRESH_SECONDS = 60


@require_safe
@require_perm(VIEW_DASHBOARD)
def dashboard(request):
    """The command room's wall: the page is a frame, its figures come from `dashboard_data`."""
    try:
        query = figure_query(user=request.user, params=request.GET)
    except ValidationError:
        # A stale or foreign ?area= falls back to the user's own scope.
        query = figure_query(user=request.user, params={})
    return render(
        request,
        "command/dashboard.html",
        {
            "query": query,
            "areas": area_choices(user=request.user, current=query.area_code),
            "refresh_seconds": REFRESH_SECONDS,
            "today": timezone.localdate(),
            "labels": _labels(),
        },
    )


@require_safe
@require_perm(VIEW_DASHBOARD)
def dashboard_data(request):
    try:
        query = figure_query(user=request.user, params=request.GET)
    except ValidationError as exc:
        if "area" in exc.message_dict:
            # An area outside the scope is answered as one that does not exist.
            raise Http404 from None
        return JsonResponse({"errors": exc.message_dict}, status=400)
    return JsonResponse(figures(**query.as_kwargs()), json_dumps_params={"ensure_ascii": False})


def _labels() -> dict:
    """Series names and states of the charts, translated here so the script has no text."""
    return {
        "vehicles": _("Vehicles"),
        "persons": _("Persons"),
        "turned_back": _("Turned back"),
        "fever": _("Fever referrals"),
        "pushes": _("Pushes"),
        "pushes_open": _("Open pushes"),
        "key_persons_new": _("New key persons"),
        "released": _("Released"),
        "alerts": _("Alerts"),
        "alerts_open": _("Open alerts"),
        "managed": _("Under management"),
        "missing_logs": _("Missing logs"),
        "completeness": _("Completeness"),
        "timeliness": _("Timeliness"),
        "own": _("Directly under"),
        "zero": _("None so far"),
        "cover_days": _("%(days)s days of cover"),
        "wan_yuan": _("%(n)s ten thousand yuan"),
        "yuan": _("%(n)s yuan"),
        "no_use": _("not issued lately"),
        "no_stock": _("No warehouse stock in this area yet"),
        "checkpoints_today": _("Checkpoint flows today"),
        # Right after midnight nothing has passed yet today: the panel shows the whole range.
        "checkpoints_range": _("Checkpoint flows, %(from)s to %(to)s"),
        "live": _("Live, refreshed every minute"),
        "offline": _("Connection lost: showing the last figures, retrying"),
    }
