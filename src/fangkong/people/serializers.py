"""Shapes of the people API. Thin: they check types and scope of references, the services
(people.services) check the rules and write."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong.core.models import Area
from fangkong.core.regions import region_name
from fangkong.people.models import Household, Person, Sex
from fangkong.people.selectors import household_queryset

AREA_CODE = r"^\d{2,15}$"


@extend_schema_field(OpenApiTypes.STR)
class ScopedAreaField(serializers.SlugRelatedField):
    """An area code the caller may see; any other code reads as "does not exist"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Area code (village, community or grid) in your scope."))
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return Area.objects.for_user(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class ScopedHouseholdField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return household_queryset(user=self.context["request"].user)


# -- persons -------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    """A person as the API shows it: identifiers masked, derived fields filled in."""

    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    household = serializers.IntegerField(source="household_id", read_only=True, allow_null=True)
    sex_display = serializers.CharField(source="get_sex_display", read_only=True)
    native_region_name = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number_masked",
            "phone_masked",
            "sex",
            "sex_display",
            "birth_date",
            "native_region",
            "native_region_name",
            "area",
            "area_name",
            "household",
            "address",
            "relation",
            "occupation",
            "workplace",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_native_region_name(self, person) -> str:
        return region_name(person.native_region) if person.native_region else ""


class PersonWriteSerializer(serializers.Serializer):
    """What a client sends to create or change a person (PUT needs area and name)."""

    area = ScopedAreaField()
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        write_only=True,
        help_text=_(
            "18-character ID number; sex, birth date and native region are derived from it. "
            "Omitted on update: the stored number is kept; empty: it is removed."
        ),
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        write_only=True,
        help_text=_("Mobile or landline. Omitted on update: kept; empty: removed."),
    )
    household = ScopedHouseholdField(required=False, allow_null=True)
    sex = serializers.ChoiceField(
        choices=Sex.choices,
        required=False,
        allow_blank=True,
        help_text=_("Used only when there is no ID number."),
    )
    birth_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("Used only when there is no ID number.")
    )
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    relation = serializers.CharField(required=False, allow_blank=True, max_length=20)
    occupation = serializers.CharField(required=False, allow_blank=True, max_length=50)
    workplace = serializers.CharField(required=False, allow_blank=True, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True)


class PersonFilterSerializer(serializers.Serializer):
    """Query parameters of the person list (people.selectors.person_list)."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_(
            "A full ID number or phone number (exact match), or the start of a name, "
            'or pinyin ("zs" finds 张三).'
        ),
    )
    area = serializers.RegexField(
        AREA_CODE, required=False, help_text=_("Only persons under this area code.")
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    age_min = serializers.IntegerField(required=False, min_value=0, max_value=150)
    age_max = serializers.IntegerField(required=False, min_value=0, max_value=150)
    household = serializers.IntegerField(required=False, min_value=1)


class RevealRequestSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[("id_number", _("ID number")), ("phone", _("phone"))])


class RevealSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField(help_text=_("The full value; the request is logged."))


# -- households ----------------------------------------------------------------------------


class HouseholdSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "area",
            "area_name",
            "number",
            "address",
            "head_name",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HouseholdDetailSerializer(HouseholdSerializer):
    members = serializers.SerializerMethodField(
        help_text=_("Members in your scope, in the order they were registered.")
    )

    class Meta(HouseholdSerializer.Meta):
        fields = [*HouseholdSerializer.Meta.fields, "members"]
        read_only_fields = fields

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, household):
        return [{"id": m.id, "name": m.name} for m in self.context["members"]]


class HouseholdWriteSerializer(serializers.Serializer):
    area = ScopedAreaField()
    address = serializers.CharField(max_length=200)
    head_name = serializers.CharField(max_length=50)
    number = serializers.CharField(required=False, allow_blank=True, max_length=30)
    note = serializers.CharField(required=False, allow_blank=True)


class HouseholdFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_("Start of the head's name or part of the address."),
    )
    area = serializers.RegexField(
        AREA_CODE, required=False, help_text=_("Only households under this area code.")
    )
