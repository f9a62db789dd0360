"""Shapes of the donations API. Thin: the services check the rules and write."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fangkong.core.models import Area
from fangkong.donations.models import Channel, Designation, Donation, DonationLine, Donor


class DonorBriefSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text=_("enterprise, organisation or individual")
    )
    phone = serializers.CharField(source="phone_masked", read_only=True)

    class Meta:
        model = Donor
        fields = ["id", "kind", "name", "phone", "anonymous", "disclose_name"]
        read_only_fields = fields


class LineSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)

    class Meta:
        model = DonationLine
        fields = ["id", "item", "item_name", "unit", "quantity", "value", "note"]
        read_only_fields = fields


class DonationSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    donor = DonorBriefSerializer(read_only=True)
    channel = serializers.CharField(read_only=True)
    designation = serializers.CharField(read_only=True)
    goods_received = serializers.BooleanField(read_only=True)
    warehouse = serializers.PrimaryKeyRelatedField(read_only=True)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Donation
        fields = [
            "id",
            "number",
            "area",
            "area_name",
            "donor",
            "received_on",
            "amount",
            "channel",
            "designation",
            "purpose",
            "goods_value",
            "goods_lines",
            "goods_received",
            "warehouse",
            "money_used",
            "balance",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class DonationDetailSerializer(DonationSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(DonationSerializer.Meta):
        fields = [*DonationSerializer.Meta.fields, "lines"]
        read_only_fields = fields

    def get_lines(self, donation) -> list[dict]:
        return LineSerializer(self.context.get("lines", []), many=True).data


class LineWriteSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text=_("A supplies catalogue item id."))
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class DonationWriteSerializer(serializers.Serializer):
    area = serializers.CharField(help_text=_("Code of the receiving district or town."))
    donor = serializers.IntegerField()
    received_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True)
    designation = serializers.ChoiceField(
        choices=Designation.choices, required=False, default=Designation.UNDESIGNATED
    )
    purpose = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    lines = LineWriteSerializer(many=True, required=False, default=list)

    def validate_area(self, code):
        area = Area.objects.for_user(self.context["request"].user).filter(code=code).first()
        if area is None:
            raise serializers.ValidationError(_("Choose a receiving unit inside your scope."))
        return area

    def validate_donor(self, pk):
        from fangkong.donations.selectors import donor_queryset

        donor = donor_queryset(user=self.context["request"].user).filter(pk=pk).first()
        if donor is None:
            raise serializers.ValidationError(_("Choose a donor inside your scope."))
        return donor

    def validate_lines(self, lines):
        from fangkong.supplies.selectors import item_choices

        items = {item.pk: item for item in item_choices().filter(pk__in=[x["item"] for x in lines])}
        problems = []
        for number, line in enumerate(lines, start=1):
            item = items.get(line["item"])
            if item is None:
                problems.append(
                    _("Line %(n)d: unknown item %(item)s") % {"n": number, "item": line["item"]}
                )
            line["item"] = item
        if problems:
            raise serializers.ValidationError(problems)
        return lines
