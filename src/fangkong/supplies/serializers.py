"""Shapes of the supplies API. Thin: the services check quantities, stock and scope."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fangkong.core.models import Area
from fangkong.supplies.models import (
    Item,
    Movement,
    Outbound,
    OutboundLine,
    RequestLine,
    SupplyRequest,
    Warehouse,
)


class ItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Item
        fields = ["id", "category", "name", "specification", "unit", "countable"]
        read_only_fields = fields


class WarehouseSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Warehouse
        fields = ["id", "area", "area_name", "name", "keeper", "phone", "address", "active"]
        read_only_fields = fields


class StockRowSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.unit")
    category = serializers.CharField()
    on_hand = serializers.DecimalField(max_digits=14, decimal_places=2)
    low_threshold = serializers.DecimalField(max_digits=14, decimal_places=2)
    issued_7d = serializers.DecimalField(max_digits=14, decimal_places=2)
    daily = serializers.DecimalField(max_digits=14, decimal_places=2)
    days_of_cover = serializers.DecimalField(
        max_digits=14, decimal_places=1, allow_null=True, help_text=_("null: no consumption")
    )
    is_low = serializers.BooleanField()


class MovementSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    document = serializers.CharField(source="document_number", read_only=True)

    class Meta:
        model = Movement
        fields = [
            "id",
            "warehouse",
            "item",
            "item_name",
            "kind",
            "quantity",
            "balance_after",
            "document",
            "day",
            "created_at",
        ]
        read_only_fields = fields


class LineSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.filter(active=True))
    # A string so the service gives its own message (whole units, two places).
    quantity = serializers.CharField(max_length=20)


class OutboundLineSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = OutboundLine
        fields = ["item", "item_name", "quantity"]
        read_only_fields = fields


class OutboundSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    unit_type = serializers.CharField(read_only=True)
    recipient_area = serializers.CharField(source="recipient_area_id", read_only=True)
    lines = OutboundLineSerializer(many=True, read_only=True)

    class Meta:
        model = Outbound
        fields = [
            "id",
            "number",
            "kind",
            "warehouse",
            "recipient_area",
            "unit_name",
            "unit_type",
            "to_warehouse",
            "receiver_name",
            "signed_at",
            "confirmed_at",
            "day",
            "lines",
        ]
        read_only_fields = fields


class IssueWriteSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField()
    recipient_area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())
    unit_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit_type = serializers.CharField(max_length=12)
    receiver_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    lines = LineSerializer(many=True)


class RequestLineSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)

    class Meta:
        model = RequestLine
        fields = ["id", "item", "item_name", "unit", "quantity", "approved", "reason"]
        read_only_fields = fields


class RequestSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    unit_type = serializers.CharField(read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    approver_area = serializers.CharField(source="approver_area_id", read_only=True)
    lines = RequestLineSerializer(many=True, read_only=True)

    class Meta:
        model = SupplyRequest
        fields = [
            "id",
            "number",
            "area",
            "unit_name",
            "unit_type",
            "purpose",
            "approver_area",
            "status",
            "created_at",
            "decided_at",
            "decision_note",
            "issued_at",
            "lines",
        ]
        read_only_fields = fields


class RequestWriteSerializer(serializers.Serializer):
    unit_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit_type = serializers.CharField(max_length=12)
    purpose = serializers.CharField()
    lines = LineSerializer(many=True)


class DecisionLineSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    approved = serializers.CharField(max_length=20)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    lines = DecisionLineSerializer(many=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    warehouse = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Issue the approved lines from it now")
    )
    receiver_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
