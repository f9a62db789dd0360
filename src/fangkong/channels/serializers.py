"""Shapes of the channels API. Webhook URLs and secrets are written, never read back."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fangkong.channels.models import Channel, Delivery
from fangkong.inbox.models import Notification


class ChannelSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    destination = serializers.CharField(
        read_only=True, help_text=_("The webhook with its key masked, or the e-mail addresses.")
    )
    signed = serializers.SerializerMethodField(help_text=_("DingTalk: a signing secret is set."))

    class Meta:
        model = Channel
        fields = [
            "id",
            "name",
            "area",
            "area_name",
            "kind",
            "destination",
            "signed",
            "recipients",
            "kinds",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_signed(self, channel) -> bool:
        return bool(channel.secret)


class ChannelWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    area = serializers.CharField(help_text=_("The unit's area code, inside your scope."))
    kind = serializers.ChoiceField(choices=Channel.Kind.choices)
    webhook_url = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        write_only=True,
        help_text=_("WeCom or DingTalk robot webhook; left out on update keeps the current one."),
    )
    secret = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        write_only=True,
        help_text=_("DingTalk signing secret; left out keeps it, empty removes it."),
    )
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=254), required=False, max_length=50
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Notification.Kind.choices),
        required=False,
        help_text=_("Notification kinds forwarded; empty or left out: all."),
    )
    active = serializers.BooleanField(required=False, default=True)


class DeliverySerializer(serializers.ModelSerializer):
    channel_name = serializers.CharField(source="channel.name", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "channel",
            "channel_name",
            "area",
            "kind",
            "target_type",
            "target_id",
            "title",
            "status",
            "attempts",
            "last_error",
            "response_status",
            "created_at",
            "last_attempt_at",
            "sent_at",
        ]
        read_only_fields = fields
