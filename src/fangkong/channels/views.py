from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.channels import selectors, services
from fangkong.channels.forms import ChannelForm, DeliveryFilterForm
from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.web import paginate, require_perm

VIEW_CHANNEL = "channels.view_channel"
VIEW_DELIVERY = "channels.view_delivery"


def _channel(request, pk):
    return get_object_or_404(
        selectors.channel_queryset(user=request.user).select_related("area"), pk=pk
    )


@require_safe
@require_perm(VIEW_CHANNEL)
def channel_list(request):
    channels = list(selectors.channel_list(user=request.user))
    return render(request, "channels/channel_list.html", {"channels": channels})


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_CHANNEL, "channels.add_channel")
def channel_create(request):
    initial = {"active": True, "area": request.user.scope_id}
    form = ChannelForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Channel saved. Send a test message to check that it arrives.")
            )
            return redirect("channels:channel_edit", pk=channel.pk)
    return render(
        request,
        "channels/channel_form.html",
        {"form": form, "channel": None},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_CHANNEL, "channels.change_channel")
def channel_edit(request, pk):
    channel = _channel(request, pk)
    initial = {
        "name": channel.name,
        "area": channel.area_id,
        "kind": channel.kind,
        "recipients": "\n".join(channel.recipients),
        "kinds": channel.kinds,
        "active": channel.active,
    }
    form = ChannelForm(posted(request), user=request.user, channel=channel, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(actor=request.user, channel=channel, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("channels:channel_edit", pk=channel.pk)
    return render(
        request,
        "channels/channel_form.html",
        {"form": form, "channel": channel},
        status=form_status(request, form),
    )


@require_POST
@require_perm(VIEW_CHANNEL, "channels.delete_channel")
def channel_delete(request, pk):
    channel = _channel(request, pk)
    services.channel_delete(actor=request.user, channel=channel)
    messages.success(request, _("Channel %(name)s removed.") % {"name": channel.name})
    return redirect("channels:channel_list")


@require_POST
@require_perm(VIEW_CHANNEL, "channels.change_channel")
def channel_test(request, pk):
    channel = _channel(request, pk)
    delivery = services.channel_test(actor=request.user, channel=channel)
    delivery.refresh_from_db()
    if delivery.status == delivery.Status.SENT:
        messages.success(request, _("Test message sent."))
    elif delivery.status == delivery.Status.FAILED or delivery.last_error:
        messages.error(
            request, _("The test message failed: %(error)s") % {"error": delivery.last_error}
        )
    else:
        messages.info(request, _("Test message queued; its result shows in the delivery log."))
    return redirect("channels:channel_edit", pk=channel.pk)


@require_safe
@require_perm(VIEW_DELIVERY)
def delivery_list(request):
    form = DeliveryFilterForm(request.GET or None, user=request.user)
    deliveries = selectors.delivery_list(user=request.user)
    if form.is_bound:
        deliveries = (
            selectors.delivery_list(user=request.user, **form.selector_kwargs())
            if form.is_valid()
            else deliveries.none()
        )
    return render(
        request,
        "channels/delivery_list.html",
        {"form": form, "page_obj": paginate(request, deliveries)},
    )


@require_POST
@require_perm(VIEW_DELIVERY, "channels.change_channel")
def delivery_retry(request, pk):
    delivery = get_object_or_404(selectors.delivery_queryset(user=request.user), pk=pk)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("channels:delivery_list")
    delivery.refresh_from_db()
    if delivery.status == delivery.Status.SENT:
        messages.success(request, _("Delivery sent."))
    else:
        messages.info(request, _("Delivery queued again."))
    return redirect("channels:delivery_list")
