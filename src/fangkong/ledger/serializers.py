"""Shapes of the ledger API. Thin: the services check the rules and write."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong.ledger.models import (
    Category,
    KeyPerson,
    KeyPersonEvent,
    Measure,
    Push,
    TeamMember,
)
from fangkong.people.serializers import AREA_CODE, ScopedAreaField

# The filters' choice sets, named for the schema (settings.SPECTACULAR_SETTINGS
# ENUM_NAME_OVERRIDES), since several models have a "state" and a "source".
KEYPERSON_STATE_FILTER = [
    ("open", _("awaiting receipt or under management")),
    *KeyPerson.State.choices,
]
PUSH_STATE_FILTER = [("open", _("pending or answered")), *Push.State.choices]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "observation_days", "default_measure"]
        read_only_fields = fields


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number_masked = serializers.CharField()
    phone_masked = serializers.CharField()


class KeyPersonSerializer(serializers.ModelSerializer):
    person = PersonBriefSerializer(read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    category = CategorySerializer(read_only=True)
    push = serializers.IntegerField(source="push_id", read_only=True, allow_null=True)

    class Meta:
        model = KeyPerson
        fields = [
            "id",
            "person",
            "area",
            "area_name",
            "category",
            "measure",
            "state",
            "source",
            "push",
            "origin",
            "period_start",
            "period_end",
            "state_changed_at",
            "released_on",
            "release_notice_no",
            "created_at",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyPersonEvent
        fields = ["id", "kind", "from_state", "to_state", "at", "actor_name", "reason"]
        read_only_fields = fields


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "role", "name", "phone", "user"]
        read_only_fields = fields


class KeyPersonDetailSerializer(KeyPersonSerializer):
    events = serializers.SerializerMethodField(help_text=_("The timeline, oldest first."))
    team = serializers.SerializerMethodField(help_text=_("The 五包一 responsibility team."))

    class Meta(KeyPersonSerializer.Meta):
        fields = [*KeyPersonSerializer.Meta.fields, "events", "team"]
        read_only_fields = fields

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, key_person):
        return EventSerializer(key_person.events.order_by("at", "id"), many=True).data

    @extend_schema_field(TeamMemberSerializer(many=True))
    def get_team(self, key_person):
        return TeamMemberSerializer(key_person.team.all(), many=True).data


class KeyPersonFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_("A full ID number or phone number, or the start of a name, or pinyin."),
    )
    state = serializers.ChoiceField(choices=KEYPERSON_STATE_FILTER, required=False)
    category = serializers.IntegerField(required=False, min_value=1)
    measure = serializers.ChoiceField(choices=Measure.choices, required=False)
    source = serializers.ChoiceField(choices=KeyPerson.Source.choices, required=False)
    area = serializers.RegexField(AREA_CODE, required=False)
    end_from = serializers.DateField(required=False)
    end_to = serializers.DateField(required=False)
    mine = serializers.BooleanField(
        required=False, help_text=_("Only persons whose team you belong to.")
    )


class PushSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    category = serializers.IntegerField(source="category_id", read_only=True, allow_null=True)

    class Meta:
        model = Push
        fields = [
            "id",
            "area",
            "area_name",
            "source",
            "state",
            "name",
            "id_number_masked",
            "phone_masked",
            "sex",
            "birth_date",
            "origin",
            "origin_region",
            "address",
            "arrived_at",
            "reasons",
            "category",
            "note",
            "created_at",
            "handled_at",
            "answer",
            "answer_reason",
            "redirected_from",
        ]
        read_only_fields = fields


class PushFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=PUSH_STATE_FILTER,
        required=False,
        help_text=_("Default: pending pushes, oldest first."),
    )
    area = serializers.RegexField(AREA_CODE, required=False)


class PushReceiveSerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(active=True),
        required=False,
        help_text=_("Category code; default: the push's or the district's default."),
    )
    measure = serializers.ChoiceField(choices=Measure.choices, required=False)
    area = ScopedAreaField(
        required=False, help_text=_("The push's village or one of its grids; default: the push's.")
    )
    period_start = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class PushAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=Push.Answer.choices)
    reason = serializers.CharField(max_length=500)
