"""The caller's own notifications: list, mark one read, mark all read."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fangkong.core.rest import HasModelPermission
from fangkong.inbox import selectors, services
from fangkong.inbox import serializers as s

# Every logged-in user has an inbox; the queryset keeps each to their own.
ANYONE: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary=_("Your notifications, open ones first"),
        parameters=[s.NotificationFilterSerializer],
    ),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.NotificationSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": ANYONE, "list": ANYONE, "read": ANYONE, "read_all": ANYONE}

    def get_queryset(self):
        if self.action == "list":
            filters = s.NotificationFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors.notification_list(
                user=self.request.user, unread=filters.validated_data.get("unread", False)
            )
        return selectors.notification_queryset(user=self.request.user)

    @extend_schema(summary=_("Mark one of your notifications read"), request=None)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_read(user=request.user, notification=notification)
        return Response(s.NotificationSerializer(notification).data)

    @extend_schema(
        summary=_("Mark all your notifications read"),
        request=None,
        responses=s.ReadAllSerializer,
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_read_all(user=request.user)})
