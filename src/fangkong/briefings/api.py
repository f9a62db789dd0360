"""Briefings API: the scoped archive, one briefing with its figures, its Word file."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from fangkong.briefings import selectors
from fangkong.briefings import serializers as s
from fangkong.briefings.views import docx_response
from fangkong.core.rest import HasModelPermission

READER = [selectors.VIEW]


@extend_schema_view(
    list=extend_schema(summary=_("Briefings of your scope, newest first")),
    retrieve=extend_schema(
        summary=_("One briefing with its sections and figures"),
        responses=s.BriefingDetailSerializer,
    ),
)
class BriefingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.BriefingSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": READER, "list": READER, "retrieve": READER, "download": READER}

    def get_queryset(self):
        if self.action == "list":
            return selectors.briefing_list(user=self.request.user)
        return selectors.briefing_queryset(user=self.request.user).select_related("area")

    def get_serializer_class(self):
        return s.BriefingDetailSerializer if self.action == "retrieve" else s.BriefingSerializer

    @extend_schema(
        summary=_("The briefing as a Word document"), responses={200: OpenApiTypes.BINARY}
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return docx_response(self.get_object())
