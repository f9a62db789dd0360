"""Channels API: channels of the units in your scope, and their delivery log."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from fangkong.channels import selectors, services
from fangkong.channels import serializers as s
from fangkong.channels.forms import DeliveryFilterForm
from fangkong.core.forms import area_in_scope
from fangkong.core.rest import HasModelPermission

VIEW = ["channels.view_channel"]


@extend_schema_view(
    list=extend_schema(summary=_("Notification channels of the units in your scope")),
    retrieve=extend_schema(summary=_("One notification channel")),
    create=extend_schema(
        summary=_("Create a notification channel"),
        request=s.ChannelWriteSerializer,
        responses={201: s.ChannelSerializer},
    ),
    update=extend_schema(
        summary=_("Change a notification channel"),
        request=s.ChannelWriteSerializer,
        responses=s.ChannelSerializer,
    ),
    destroy=extend_schema(summary=_("Remove a notification channel and its delivery log")),
)
class ChannelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ChannelSerializer
    permission_classes = [HasModelPermission]
    http_method_names = ["get", "post", "put", "delete", "head"]
    required_perms = {
        "*": VIEW,
        "list": VIEW,
        "retrieve": VIEW,
        "create": [*VIEW, "channels.add_channel"],
        "update": [*VIEW, "channels.change_channel"],
        "destroy": [*VIEW, "channels.delete_channel"],
    }

    def get_queryset(self):
        return selectors.channel_queryset(user=self.request.user).select_related("area")

    def _write_kwargs(self, partial_keep: bool) -> dict:
        data = s.ChannelWriteSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        area = area_in_scope(self.request.user, values["area"])
        if area is None:
            raise ValidationError({"area": [_("Choose a unit inside your scope.")]})
        return {
            "area": area,
            "name": values["name"],
            "kind": values["kind"],
            "webhook_url": values.get("webhook_url", None if partial_keep else ""),
            "secret": values.get("secret", None if partial_keep else ""),
            "recipients": values.get("recipients", []),
            "kinds": values.get("kinds", []),
            "active": values["active"],
        }

    def create(self, request, *args, **kwargs):
        channel = services.channel_create(actor=request.user, **self._write_kwargs(False))
        return Response(s.ChannelSerializer(channel).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        channel = self.get_object()
        channel = services.channel_update(
            actor=request.user, channel=channel, **self._write_kwargs(True)
        )
        return Response(s.ChannelSerializer(channel).data)

    def destroy(self, request, *args, **kwargs):
        services.channel_delete(actor=request.user, channel=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary=_("Delivery log of the channels in your scope"),
        parameters=[
            OpenApiParameter("status", str, enum=["pending", "sent", "failed"]),
            OpenApiParameter("channel", int),
            OpenApiParameter("date_from", str, description=_("YYYY-MM-DD, local day")),
            OpenApiParameter("date_to", str, description=_("YYYY-MM-DD, local day")),
        ],
    ),
    retrieve=extend_schema(summary=_("One delivery")),
)
class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DeliverySerializer
    permission_classes = [HasModelPermission]
    required_perms = {
        "*": ["channels.view_delivery"],
        "list": ["channels.view_delivery"],
        "retrieve": ["channels.view_delivery"],
    }

    def get_queryset(self):
        user = self.request.user
        if self.action != "list":
            return selectors.delivery_queryset(user=user).select_related("channel")
        form = DeliveryFilterForm(self.request.query_params or None, user=user)
        if form.is_bound and not form.is_valid():
            raise ValidationError({key: list(value) for key, value in form.errors.items()})
        kwargs = form.selector_kwargs() if form.is_bound else {}
        return selectors.delivery_list(user=user, **kwargs)
