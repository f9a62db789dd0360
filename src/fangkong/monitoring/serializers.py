from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fangkong.monitoring.models import Alert, HealthLog, Sample, Slot
from fangkong.monitoring.services import SYMPTOMS


class HealthLogSerializer(serializers.ModelSerializer):
    symptoms = serializers.SerializerMethodField()

    class Meta:
        model = HealthLog
        fields = [
            "id",
            "key_person",
            "area",
            "date",
            "slot",
            "temperature",
            "symptoms",
            "note",
            "via",
            "recorded_at",
            "correction_reason",
        ]

    def get_symptoms(self, obj) -> list[str]:
        return [code for code in obj.symptoms.split(",") if code]


class HealthLogWriteSerializer(serializers.Serializer):
    key_person = serializers.IntegerField(help_text=_("Id of the key person."))
    slot = serializers.ChoiceField(choices=Slot.choices)
    # Text, so that "abc" reaches the service's clear message instead of a generic one.
    temperature = serializers.CharField(max_length=10, help_text=_("°C, 34.0 to 43.0."))
    symptoms = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SYMPTOMS)), required=False, default=list
    )
    date = serializers.DateField(required=False, help_text=_("Default: today."))
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    correction_reason = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )


class SelfLogWriteSerializer(serializers.Serializer):
    slot = serializers.ChoiceField(choices=Slot.choices)
    temperature = serializers.CharField(max_length=10)
    symptoms = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SYMPTOMS)), required=False, default=list
    )


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = [
            "id",
            "area",
            "kind",
            "level",
            "state",
            "key_person",
            "subject_name",
            "detail",
            "temperature",
            "raised_at",
            "referred_to",
            "referred_at",
            "outcome",
            "outcome_note",
            "closed_at",
        ]


class SampleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sample
        fields = [
            "id",
            "key_person",
            "area",
            "sample_no",
            "sampled_on",
            "kind",
            "batch",
            "lab",
            "result",
            "result_on",
        ]


class HealthLinkSlotsSerializer(serializers.Serializer):
    am = serializers.CharField(allow_null=True, help_text=_("Temperature reported, or null."))
    pm = serializers.CharField(allow_null=True, help_text=_("Temperature reported, or null."))


class HealthLinkSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    date = serializers.DateField()
    slots = HealthLinkSlotsSerializer()
