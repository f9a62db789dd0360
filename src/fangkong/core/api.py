"""Areas API: the part of the division tree inside the caller's scope."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from fangkong.core.models import Area
from fangkong.core.rest import HasModelPermission
from fangkong.core.scope import scope_filter

AREA_CODE = r"^\d{2,15}$"
VIEW_AREA = ["core.view_area"]


class AreaSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    statistics_code = serializers.CharField(read_only=True)

    class Meta:
        model = Area
        fields = ["code", "name", "level", "level_display", "parent", "statistics_code"]
        read_only_fields = fields


class AreaFilterSerializer(serializers.Serializer):
    parent = serializers.RegexField(
        AREA_CODE, required=False, help_text=_("Only the direct children of this area code.")
    )
    level = serializers.ChoiceField(
        choices=Area.Level.choices,
        required=False,
        help_text=_("1 province, 2 city, 3 county, 4 town, 5 village, 6 grid."),
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_(
            "Search: part of the name, the start of its full pinyin or of its initials "
            '("xd" finds 辛店街道), or the start of the code.'
        ),
    )


def area_search(qs, text: str):
    text = text.strip()
    if not text:
        return qs
    if text.isdigit():
        return qs.filter(scope_filter("code", text))
    if text.isascii():
        key = text.lower().replace(" ", "")
        return qs.filter(Q(initials__startswith=key) | Q(pinyin__startswith=key))
    return qs.filter(name__contains=text)


@extend_schema_view(
    list=extend_schema(summary=_("List areas in your scope"), parameters=[AreaFilterSerializer]),
    retrieve=extend_schema(summary=_("One area")),
)
class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AreaSerializer
    permission_classes = [HasModelPermission]
    required_perms = {
        "*": VIEW_AREA,
        "list": VIEW_AREA,
        "retrieve": VIEW_AREA,
        "children": VIEW_AREA,
    }
    lookup_field = "code"
    lookup_value_regex = r"\d{2,15}"

    def get_queryset(self):
        return Area.objects.for_user(self.request.user).order_by("code")

    def list(self, request, *args, **kwargs):
        filters = AreaFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = self.get_queryset()
        if parent := filters.validated_data.get("parent"):
            qs = qs.filter(parent_id=parent)
        if level := filters.validated_data.get("level"):
            qs = qs.filter(level=level)
        qs = area_search(qs, filters.validated_data.get("q", ""))
        return self._page(qs)

    @extend_schema(summary=_("Direct children of an area"), responses=AreaSerializer(many=True))
    @action(detail=True, methods=["get"])
    def children(self, request, code=None):
        area = self.get_object()
        return self._page(self.get_queryset().filter(parent_id=area.code))

    def _page(self, qs):
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
