"""Shapes of the reporting API. Thin: the services check the rules and write."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fangkong.reporting.form import COUNT_FIELDS, MAX_COUNT
from fangkong.reporting.models import DailyReport


class ReportSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = DailyReport
        fields = [
            "id",
            "area",
            "area_name",
            "date",
            "status",
            "is_zero",
            "late",
            "submitted_at",
            *[f.key for f in COUNT_FIELDS],
            "narrative",
            "problems",
            "computed",
            "corrections",
            "review_comment",
            "reviewed_at",
        ]
        read_only_fields = fields


class ZeroSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("The day reported on (YYYY-MM-DD)."))


class SubmitSerializer(ZeroSerializer):
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    problems = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    reasons = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        help_text=_("Reason per corrected computed figure: {field: reason}."),
    )

    def get_fields(self):
        fields = super().get_fields()
        for field in COUNT_FIELDS:
            fields[field.key] = serializers.IntegerField(
                required=False,
                min_value=0,
                max_value=MAX_COUNT,
                help_text=_("Left out: the computed figure (0 when not computed)."),
            )
        return fields


class CompletenessQuerySerializer(serializers.Serializer):
    area = serializers.CharField(required=False, allow_blank=True)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
