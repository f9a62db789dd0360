from django.urls import reverse
from rest_framework import serializers

from fangkong.briefings.models import Briefing


class BriefingSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    number = serializers.CharField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Briefing
        fields = [
            "id",
            "area",
            "area_name",
            "date",
            "year",
            "sequence",
            "number",
            "state",
            "office",
            "approved_at",
            "published_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, obj) -> str:
        return reverse("api-briefing-download", kwargs={"pk": obj.pk})


class BriefingDetailSerializer(BriefingSerializer):
    class Meta(BriefingSerializer.Meta):
        fields = [
            *BriefingSerializer.Meta.fields,
            "report_to",
            "send_to",
            "copies",
            "sections",
            "figures",
            "generated_at",
        ]
        read_only_fields = fields
