"""The command's figures over the API: exactly what the dashboard shows."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.command.forms import figure_query
from fangkong.command.selectors import figures
from fangkong.core.rest import HasModelPermission


class StatsView(APIView):
    permission_classes = [HasModelPermission]
    required_perms = {"*": ["command.view_dashboard"]}

    @extend_schema(
        summary=_("The command's figures for an area and a range of days"),
        description=_(
            "The same figures as the dashboard and `fangkong stats --json` (keys in "
            "docs/stats.md). `area` defaults to your scope and must lie inside it; `date` or "
            "`from`/`to` (YYYY-MM-DD) default to the last 14 days."
        ),
        parameters=[
            OpenApiParameter("area", str),
            OpenApiParameter("date", OpenApiTypes.DATE),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        try:
            query = figure_query(user=request.user, params=request.query_params)
        except ValidationError as exc:
            if "area" in exc.message_dict:
                raise NotFound from None
            raise serializers.ValidationError(exc.message_dict) from None
        return Response(figures(**query.as_kwargs()))
