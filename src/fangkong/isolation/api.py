"""Isolation API: sites with their occupancy, and the daily services of residents."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from fangkong.core.rest import HasModelPermission
from fangkong.isolation import selectors
from fangkong.isolation import serializers as s
from fangkong.isolation.models import DailyService
from fangkong.isolation.services import dailyservice_record

VIEW_SITE = ["isolation.view_site"]


@extend_schema_view(
    list=extend_schema(summary=_("Isolation sites in your scope, with occupancy")),
    retrieve=extend_schema(
        summary=_("One isolation site with its rooms"), responses=s.SiteDetailSerializer
    ),
)
class SiteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.SiteSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW_SITE, "list": VIEW_SITE, "retrieve": VIEW_SITE}

    def get_queryset(self):
        return selectors.site_list(user=self.request.user).order_by("area_id", "name", "pk")

    def retrieve(self, request, *args, **kwargs):
        site = self.get_object()
        rooms = selectors.rooms_with_occupancy(site=site)
        context = {**self.get_serializer_context(), "rooms": rooms}
        return Response(s.SiteDetailSerializer(site, context=context).data)


@extend_schema_view(
    create=extend_schema(
        summary=_("Record daily services of a resident"),
        description=_(
            "Sets the given items of the six daily services of one person on one day; items "
            "left out keep their value. Answers 201 when the day's record is new, else 200."
        ),
        request=s.DailyServiceWriteSerializer,
        responses={200: s.DailyServiceSerializer, 201: s.DailyServiceSerializer},
    )
)
class DailyServiceViewSet(viewsets.GenericViewSet):
    serializer_class = s.DailyServiceWriteSerializer
    permission_classes = [HasModelPermission]
    required_perms = {
        "*": ["isolation.view_stay"],
        "create": ["isolation.view_stay", "isolation.add_dailyservice"],
    }

    def get_queryset(self):
        return DailyService.objects.for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        data = s.DailyServiceWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        stay, date = values["stay"], values["date"]
        existed = DailyService.objects.filter(stay=stay, date=date).exists()
        service = dailyservice_record(
            actor=request.user,
            stay=stay,
            date=date,
            items={k: values[k] for k in DailyService.ITEMS if k in values},
            note=values.get("note"),
        )
        return Response(
            s.DailyServiceSerializer(service).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )
