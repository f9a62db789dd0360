"""Monitoring API for devices: health logs (staff, and by personal link), alerts, samples."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.core.rest import ErrorSerializer, HasModelPermission
from fangkong.monitoring import links, selectors
from fangkong.monitoring import serializers as s
from fangkong.monitoring.models import HealthLog
from fangkong.monitoring.services import healthlog_record

VIEW_LOG = ["monitoring.view_healthlog"]
LINK_INVALID = _("This health link is not valid or has expired.")


@extend_schema_view(
    list=extend_schema(summary=_("Health logs in your scope (newest first)")),
    create=extend_schema(
        summary=_("Record a health log"),
        request=s.HealthLogWriteSerializer,
        responses={201: s.HealthLogSerializer},
    ),
)
class HealthLogViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasModelPermission]
    serializer_class = s.HealthLogSerializer
    required_perms = {
        "*": VIEW_LOG,
        "list": VIEW_LOG,
        "create": [*VIEW_LOG, "monitoring.add_healthlog"],
    }

    def get_queryset(self):
        qs = HealthLog.objects.for_user(self.request.user).order_by("-date", "-slot", "-id")
        date = self.request.query_params.get("date")
        if date:
            qs = qs.filter(date=date)
        key_person = self.request.query_params.get("key_person", "")
        if key_person.isdigit():
            qs = qs.filter(key_person_id=key_person)
        return qs

    def create(self, request, *args, **kwargs):
        data = s.HealthLogWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        key_person = get_object_or_404(
            selectors.keyperson_queryset(user=request.user), pk=values.pop("key_person")
        )
        log = healthlog_record(
            actor=request.user, key_person=key_person, via=HealthLog.Via.STAFF, **values
        )
        return Response(s.HealthLogSerializer(log).data, status=status.HTTP_201_CREATED)


class HealthLinkView(APIView):
    """The personal link for apps and mini-programs: no login, the token is the credential."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def _key_person(self, token):
        key_person = links.key_person_for_token(token)
        if key_person is None:
            raise NotFound(_("This health link is not valid or has expired."))
        return key_person

    @extend_schema(
        summary=_("Today's slots of a personal health link"),
        responses={
            200: s.HealthLinkSerializer,
            404: OpenApiResponse(ErrorSerializer, description=LINK_INVALID),
        },
    )
    def get(self, request, token):
        key_person = self._key_person(token)
        today = timezone.localdate()
        logs = selectors.logs_by_person(key_person_ids=[key_person.pk], date=today)
        mine = logs.get(key_person.pk, {})
        return Response(
            {
                "first_name": links.first_name(key_person.person.name),
                "date": today,
                "slots": {
                    slot: (str(log.temperature) if log else None)
                    for slot in ("am", "pm")
                    for log in [mine.get(slot)]
                },
            }
        )

    @extend_schema(
        summary=_("Report a health log through a personal link"),
        request=s.SelfLogWriteSerializer,
        responses={
            201: s.HealthLogSerializer,
            404: OpenApiResponse(ErrorSerializer, description=LINK_INVALID),
        },
    )
    def post(self, request, token):
        key_person = self._key_person(token)
        data = s.SelfLogWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        log = healthlog_record(
            actor=None, key_person=key_person, via=HealthLog.Via.SELF, **data.validated_data
        )
        return Response(s.HealthLogSerializer(log).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("Alerts in your scope, open first")),
    retrieve=extend_schema(summary=_("One alert")),
)
class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasModelPermission]
    serializer_class = s.AlertSerializer
    required_perms = {
        "*": ["monitoring.view_alert"],
        "list": ["monitoring.view_alert"],
        "retrieve": ["monitoring.view_alert"],
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.alert_list(
                user=self.request.user,
                state=self.request.query_params.get("state", ""),
                kind=self.request.query_params.get("kind", ""),
            )
        return selectors.alert_queryset(user=self.request.user)


@extend_schema_view(
    list=extend_schema(summary=_("Samples and their results in your scope")),
    retrieve=extend_schema(summary=_("One sample")),
)
class SampleViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasModelPermission]
    serializer_class = s.SampleSerializer
    required_perms = {
        "*": ["monitoring.view_sample"],
        "list": ["monitoring.view_sample"],
        "retrieve": ["monitoring.view_sample"],
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.sample_list(
                user=self.request.user, result=self.request.query_params.get("result", "")
            )
        return selectors.sample_queryset(user=self.request.user)
