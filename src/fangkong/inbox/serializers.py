from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong.inbox.links import target_url
from fangkong.inbox.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    action_url = serializers.SerializerMethodField(
        help_text=_("The page where the notification's action is taken.")
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "target_type",
            "target_id",
            "action_url",
            "created_at",
            "read_at",
            "resolved_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_action_url(self, notification) -> str:
        return target_url(notification)


class NotificationFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, help_text=_("Only unread ones."))


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
