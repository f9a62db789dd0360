"""The inbox pages. Every view reads through `selectors.notification_queryset`, so a
notification of another user answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from fangkong.core.web import paginate
from fangkong.inbox import links, selectors, services


@require_safe
@login_required
def notification_list(request):
    unread = request.GET.get("unread") == "1"
    notifications = selectors.notification_list(user=request.user, unread=unread)
    return render(
        request,
        "inbox/list.html",
        {"page_obj": paginate(request, notifications), "unread": unread},
    )


@require_safe
def badge(request):
    """The navigation badge, polled by htmx. A session that ended answers 204 (no swap)
    instead of a login page that htmx would put into the navigation bar."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "inbox/badge.html")


def _own(request, pk):
    return get_object_or_404(selectors.notification_queryset(user=request.user), pk=pk)


@require_safe
@login_required
def notification_open(request, pk):
    """Follow a notification to its action, marking it read on the way."""
    notification = _own(request, pk)
    services.notification_read(user=request.user, notification=notification)
    return redirect(links.target_url(notification))


@require_POST
@login_required
def notification_read(request, pk):
    notification = _own(request, pk)
    services.notification_read(user=request.user, notification=notification)
    if request.htmx:
        return render(request, "inbox/partials/item.html", {"notification": notification})
    return redirect("inbox:list")


@require_POST
@login_required
def notification_read_all(request):
    count = services.notifications_read_all(user=request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return redirect("inbox:list")
