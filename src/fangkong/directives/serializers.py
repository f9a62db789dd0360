"""Shapes of the directives API. Thin: the services check the rules and write."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong.directives.models import Attachment, Directive, Feedback, Recipient


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, attachment) -> str:
        return reverse("directives:attachment_download", kwargs={"pk": attachment.pk})


class DirectiveSerializer(serializers.ModelSerializer):
    # Plain strings: a choice field would add one more "kind"/"state" enum to the schema.
    kind = serializers.CharField(read_only=True, help_text=_("notice or order"))
    state = serializers.CharField(read_only=True, help_text=_("draft, sent or closed"))
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    recipient_total = serializers.IntegerField(read_only=True)
    signed_total = serializers.IntegerField(read_only=True)
    answered_total = serializers.IntegerField(read_only=True)
    overdue_total = serializers.IntegerField(
        read_only=True, help_text=_("Units past the deadline without a receipt or feedback.")
    )

    class Meta:
        model = Directive
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "state",
            "area",
            "area_name",
            "deadline",
            "sent_at",
            "roles",
            "recipient_total",
            "signed_total",
            "answered_total",
            "overdue_total",
        ]
        read_only_fields = fields


class FeedbackSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="created_by.full_name", read_only=True, default="")
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "text", "late", "created_at", "by", "attachments"]
        read_only_fields = fields


class RecipientStatusSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    signed_by = serializers.CharField(source="signed_by.full_name", read_only=True, default="")
    latest_feedback = serializers.SerializerMethodField()

    class Meta:
        model = Recipient
        fields = [
            "id",
            "area",
            "area_name",
            "signed_at",
            "signed_by",
            "feedback_count",
            "last_feedback_at",
            "reminded_on",
            "latest_feedback",
        ]
        read_only_fields = fields

    @extend_schema_field(FeedbackSerializer(allow_null=True))
    def get_latest_feedback(self, recipient):
        latest = getattr(recipient, "latest", None)
        return FeedbackSerializer(latest).data if latest else None


class DirectiveDetailSerializer(DirectiveSerializer):
    attachments = serializers.SerializerMethodField()
    recipients = serializers.SerializerMethodField()

    class Meta(DirectiveSerializer.Meta):
        fields = [*DirectiveSerializer.Meta.fields, "body", "attachments", "recipients"]
        read_only_fields = fields

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, directive):
        return AttachmentSerializer(self.context["attachments"], many=True).data

    @extend_schema_field(RecipientStatusSerializer(many=True))
    def get_recipients(self, directive):
        return RecipientStatusSerializer(self.context["recipients"], many=True).data


class ReceivedSerializer(serializers.ModelSerializer):
    """A directive as one recipient unit has it."""

    directive = serializers.IntegerField(source="directive_id", read_only=True)
    number = serializers.CharField(source="directive.number", read_only=True)
    kind = serializers.CharField(source="directive.kind", read_only=True)
    title = serializers.CharField(source="directive.title", read_only=True)
    state = serializers.CharField(source="directive.state", read_only=True)
    sender = serializers.CharField(source="directive.area.name", read_only=True)
    deadline = serializers.DateTimeField(source="directive.deadline", read_only=True)
    sent_at = serializers.DateTimeField(source="directive.sent_at", read_only=True)
    unit = serializers.CharField(source="area_id", read_only=True)
    unit_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Recipient
        fields = [
            "id",
            "directive",
            "number",
            "kind",
            "title",
            "state",
            "sender",
            "deadline",
            "sent_at",
            "unit",
            "unit_name",
            "signed_at",
            "feedback_count",
            "last_feedback_at",
        ]
        read_only_fields = fields


class ReceivedDetailSerializer(ReceivedSerializer):
    body = serializers.CharField(source="directive.body", read_only=True)
    attachments = serializers.SerializerMethodField()
    feedbacks = serializers.SerializerMethodField()

    class Meta(ReceivedSerializer.Meta):
        fields = [*ReceivedSerializer.Meta.fields, "body", "attachments", "feedbacks"]
        read_only_fields = fields

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, recipient):
        return AttachmentSerializer(self.context["attachments"], many=True).data

    @extend_schema_field(FeedbackSerializer(many=True))
    def get_feedbacks(self, recipient):
        return FeedbackSerializer(self.context["feedbacks"], many=True).data


class FeedbackWriteSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, help_text=_("The unit's answer."))
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=_("Attachments (multipart): office documents, PDF, images, zip."),
    )
