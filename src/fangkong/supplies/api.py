"""Supplies API: warehouses with their stock, the ledger, issues and requests, through the
same selectors and services as the pages."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fangkong.core.rest import HasModelPermission
from fangkong.supplies import selectors, services
from fangkong.supplies import serializers as s

VIEW = [services.VIEW]
WORK = [services.VIEW, services.WORK]
ASK = ["supplies.view_supplyrequest"]


def _lines(data) -> list[dict]:
    return [{"item": line["item"], "quantity": line["quantity"]} for line in data]


@extend_schema_view(
    list=extend_schema(summary=_("Warehouses in your scope")),
    retrieve=extend_schema(summary=_("One warehouse")),
)
class WarehouseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.WarehouseSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW, "list": VIEW, "retrieve": VIEW, "stock": VIEW}

    def get_queryset(self):
        return selectors.warehouse_queryset(user=self.request.user).order_by("area_id", "name")

    @extend_schema(
        summary=_("On hand, threshold, 7-day consumption and days of cover of every item"),
        responses=s.StockRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def stock(self, request, pk=None):
        rows = selectors.stock_rows(warehouse=self.get_object())
        return Response(s.StockRowSerializer(rows, many=True).data)


@extend_schema_view(list=extend_schema(summary=_("Stock movements (the ledger), newest first")))
class MovementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.MovementSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW, "list": VIEW}

    def get_queryset(self):
        rows = selectors.movements(user=self.request.user)
        params = self.request.query_params
        for key in ("warehouse", "item"):
            value = params.get(key, "")
            if value.isdigit():
                rows = rows.filter(**{f"{key}_id": int(value)})
        return rows


@extend_schema_view(
    list=extend_schema(summary=_("Issues and transfers of warehouses in your scope")),
    retrieve=extend_schema(summary=_("One issue or transfer")),
)
class OutboundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.OutboundSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW, "list": VIEW, "retrieve": VIEW, "create": WORK}

    def get_queryset(self):
        return selectors.outbounds(user=self.request.user).prefetch_related("lines__item")

    @extend_schema(
        summary=_("Issue goods to a unit"),
        request=s.IssueWriteSerializer,
        responses={201: s.OutboundSerializer},
    )
    def create(self, request):
        data = s.IssueWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        warehouse = (
            selectors.warehouse_queryset(user=request.user)
            .filter(pk=values.pop("warehouse"))
            .first()
        )
        if warehouse is None:
            raise Http404
        outbound = services.issue_create(
            actor=request.user,
            warehouse=warehouse,
            lines=_lines(values.pop("lines")),
            **values,
        )
        return Response(s.OutboundSerializer(outbound).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("Supply requests of your units and those you decide")),
    retrieve=extend_schema(summary=_("One supply request with its lines")),
)
class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.RequestSerializer
    permission_classes = [HasModelPermission]
    required_perms = {
        "*": ASK,
        "list": ASK,
        "retrieve": ASK,
        "create": [*ASK, services.REQUEST],
        "decide": [*ASK, services.APPROVE],
    }

    def get_queryset(self):
        return (
            selectors.request_queryset(user=self.request.user)
            .prefetch_related("lines__item")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        summary=_("Ask for supplies (物资申请)"),
        request=s.RequestWriteSerializer,
        responses={201: s.RequestSerializer},
    )
    def create(self, request):
        data = s.RequestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        created = services.request_create(
            actor=request.user, lines=_lines(values.pop("lines")), **values
        )
        return Response(
            s.RequestSerializer(self.get_queryset().get(pk=created.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=_("Approve each line fully, partly or not; optionally issue at once"),
        request=s.DecisionSerializer,
        responses=s.RequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        supply_request = self.get_object()
        if not selectors.can_decide(request.user, supply_request):
            raise Http404
        data = s.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        warehouse = None
        if values.get("warehouse"):
            warehouse = (
                selectors.warehouses_for(user=request.user).filter(pk=values["warehouse"]).first()
            )
            if warehouse is None:
                raise Http404
        decisions = {
            line["line"]: {"approved": line["approved"], "reason": line.get("reason", "")}
            for line in values["lines"]
        }
        services.request_decide(
            actor=request.user,
            request=supply_request,
            decisions=decisions,
            note=values.get("note", ""),
            warehouse=warehouse,
            receiver_name=values.get("receiver_name", ""),
        )
        return Response(s.RequestSerializer(self.get_queryset().get(pk=supply_request.pk)).data)


@extend_schema_view(list=extend_schema(summary=_("The catalogue's active items")))
class ItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ItemSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": ["supplies.view_item"], "list": ["supplies.view_item"]}

    def get_queryset(self):
        return selectors.item_choices()
