"""Reporting API: the reports of the scope, submitting (and zero-submitting) a unit's report,
and completeness."""

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.core.models import Area
from fangkong.core.rest import HasModelPermission
from fangkong.reporting import selectors, services
from fangkong.reporting import serializers as s
from fangkong.reporting.form import COUNT_FIELDS
from fangkong.reporting.forms import MAX_RANGE_DAYS, ReportFilterForm
from fangkong.reporting.transfer import report_filters

VIEW = ["reporting.view_dailyreport"]
SUBMIT = [*VIEW, "reporting.submit_report"]


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Daily reports of your scope"),
        parameters=[
            OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
            OpenApiParameter("area", str, description=gettext_lazy("Area code in your scope")),
            OpenApiParameter("status", str, enum=["submitted", "returned", "accepted"]),
        ],
    ),
    retrieve=extend_schema(summary=gettext_lazy("One daily report")),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ReportSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW, "list": VIEW, "retrieve": VIEW}

    def get_queryset(self):
        if self.action != "list":
            return selectors.report_queryset(user=self.request.user).select_related("area")
        raw = {
            k: v for k, v in self.request.query_params.items() if k in ReportFilterForm.base_fields
        }
        if not raw:
            return selectors.report_list(user=self.request.user)
        form = ReportFilterForm(raw, user=self.request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors.get_json_data())
        return selectors.report_list(user=self.request.user, **report_filters(form.cleaned_data))


class _UnitView(APIView):
    permission_classes = [HasModelPermission]
    required_perms = {"*": SUBMIT}
    http_method_names = ["post", "options"]

    def unit(self, code) -> Area:
        unit = selectors.unit_for_reporter(user=self.request.user, code=code)
        if unit is None:
            raise Http404
        return unit


class SubmitView(_UnitView):
    @extend_schema(
        summary=gettext_lazy("Submit a unit's daily report"),
        description=gettext_lazy(
            "Figures left out take the computed value; a computed figure given otherwise needs "
            "a reason in `reasons`. A second submission for the same unit and day is refused "
            "(400); after the deadline the report is accepted and marked late."
        ),
        request=s.SubmitSerializer,
        responses={201: s.ReportSerializer},
    )
    def post(self, request, code):
        unit = self.unit(code)
        data = s.SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        report = services.report_submit(
            actor=request.user,
            area=unit,
            date=values["date"],
            # Figures left out take the computed value (services.figures_check).
            values={f.key: values[f.key] for f in COUNT_FIELDS if f.key in values},
            reasons=values.get("reasons", {}),
            narrative=values.get("narrative", ""),
            problems=values.get("problems", ""),
        )
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ZeroView(_UnitView):
    @extend_schema(
        summary=gettext_lazy("Submit a unit's zero report (零报告)"),
        description=gettext_lazy(
            "Every figure 0. Refused (400) when the system has figures for the unit and day."
        ),
        request=s.ZeroSerializer,
        responses={201: s.ReportSerializer},
    )
    def post(self, request, code):
        unit = self.unit(code)
        data = s.ZeroSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_zero_submit(
            actor=request.user, area=unit, date=data.validated_data["date"]
        )
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class CompletenessView(APIView):
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW}
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary=gettext_lazy("Completeness and timeliness of daily reports"),
        description=gettext_lazy(
            "Expected, submitted, on time, late, zero and missing reports under `area` (your "
            "scope by default) from `date_from` to `date_to` (default: the last 7 days), per "
            "day (by_day) and per child area (by_child)."
        ),
        parameters=[s.CompletenessQuerySerializer],
        responses={200: dict},
    )
    def get(self, request):
        query = s.CompletenessQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        code = values.get("area") or request.user.scope_id or ""
        if not code or not Area.objects.for_user(request.user).filter(code=code).exists():
            raise Http404
        date_to = values.get("date_to") or timezone.localdate()
        date_from = values.get("date_from") or date_to - datetime.timedelta(days=6)
        if date_from > date_to or (date_to - date_from).days >= MAX_RANGE_DAYS:
            raise exceptions.ValidationError({"date_from": [_("Choose at most a year")]})
        figures = selectors.completeness(area_code=code, date_from=date_from, date_to=date_to)
        return Response({"area": code, "date_from": date_from, "date_to": date_to, **figures})
