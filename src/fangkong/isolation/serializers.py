"""Shapes of the isolation API. Thin: the services check the rules and write."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong.isolation.models import DailyService, Room, Site
from fangkong.isolation.selectors import stay_queryset


class SiteSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    capacity = serializers.IntegerField(read_only=True, help_text=_("Beds in rooms in service."))
    occupied = serializers.IntegerField(read_only=True, help_text=_("Persons checked in now."))
    free_beds = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "address",
            "area",
            "area_name",
            "contact_name",
            "contact_phone",
            "active",
            "capacity",
            "occupied",
            "free_beds",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_free_beds(self, site) -> int:
        return max(0, site.capacity - site.occupied)


class RoomSerializer(serializers.ModelSerializer):
    occupied = serializers.IntegerField(read_only=True)

    class Meta:
        model = Room
        fields = ["id", "number", "beds", "in_service", "occupied"]
        read_only_fields = fields


class SiteDetailSerializer(SiteSerializer):
    rooms = serializers.SerializerMethodField()

    class Meta(SiteSerializer.Meta):
        fields = [*SiteSerializer.Meta.fields, "rooms"]
        read_only_fields = fields

    @extend_schema_field(RoomSerializer(many=True))
    def get_rooms(self, site):
        return RoomSerializer(self.context["rooms"], many=True).data


@extend_schema_field(OpenApiTypes.INT)
class ScopedStayField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return stay_queryset(user=self.context["request"].user)


class DailyServiceWriteSerializer(serializers.Serializer):
    stay = ScopedStayField(help_text=_("The stay (check-in) of the person."))
    date = serializers.DateField(help_text=_("The day served; not in the future."))
    temperature_taken = serializers.BooleanField(required=False)
    info_sheet = serializers.BooleanField(required=False)
    heating = serializers.BooleanField(required=False)
    meals = serializers.BooleanField(required=False)
    health_care = serializers.BooleanField(required=False)
    psychological = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class DailyServiceSerializer(serializers.ModelSerializer):
    stay = serializers.IntegerField(source="stay_id", read_only=True)

    class Meta:
        model = DailyService
        fields = ["id", "stay", "date", *DailyService.ITEMS, "note"]
        read_only_fields = fields
