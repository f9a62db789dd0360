"""Key persons and pushes API: scoped reads from ledger.selectors, writes through
ledger.services, exactly as the pages do."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fangkong.core.rest import HasModelPermission
from fangkong.ledger import selectors, services
from fangkong.ledger import serializers as s

VIEW_KP = ["ledger.view_keyperson"]
VIEW_PUSH = ["ledger.view_push"]
RECEIVE = [*VIEW_PUSH, "ledger.receive_push"]


def _filters(serializer_class, request) -> dict:
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return dict(filters.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary=_("List key persons in your scope"), parameters=[s.KeyPersonFilterSerializer]
    ),
    retrieve=extend_schema(summary=_("One key person with timeline and team")),
)
class KeyPersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW_KP, "list": VIEW_KP, "retrieve": VIEW_KP}

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.KeyPersonDetailSerializer
        return s.KeyPersonSerializer

    def get_queryset(self):
        if self.action == "list":
            return selectors.keyperson_list(
                user=self.request.user, **_filters(s.KeyPersonFilterSerializer, self.request)
            )
        return selectors.keyperson_queryset(user=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary=_("List pushes in your scope"),
        description=_("By default the pending pushes (待接收), oldest first."),
        parameters=[s.PushFilterSerializer],
    ),
    retrieve=extend_schema(summary=_("One push")),
)
class PushViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasModelPermission]
    serializer_class = s.PushSerializer
    required_perms = {
        "*": VIEW_PUSH,
        "list": VIEW_PUSH,
        "retrieve": VIEW_PUSH,
        "receive": RECEIVE,
        "answer": RECEIVE,
    }

    def get_queryset(self):
        user = self.request.user
        if self.action != "list":
            return selectors.push_queryset(user=user)
        filters = _filters(s.PushFilterSerializer, self.request)
        state = filters.get("state", "")
        area = filters.get("area", "")
        if state == "open":
            return selectors.push_open(user=user, area=area)
        qs = selectors.push_queryset(user=user).filter(state=state or "pending")
        if area:
            from fangkong.core.scope import scope_filter

            qs = qs.filter(scope_filter("area", area))
        return qs.order_by("created_at", "id")

    @extend_schema(
        summary=_("Receive a push: the person enters the ledger"),
        description=_(
            "Of two calls for the same push, one creates the ledger entry and the other is "
            "refused with code invalid (already handled)."
        ),
        request=s.PushReceiveSerializer,
        responses={201: s.KeyPersonSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=s.PushReceiveSerializer)
    def receive(self, request, pk=None):
        push = self.get_object()
        data = s.PushReceiveSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        key_person = services.push_receive(actor=request.user, push=push, **data.validated_data)
        return Response(s.KeyPersonSerializer(key_person).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Answer a push: no such person or wrong address"),
        request=s.PushAnswerSerializer,
        responses={200: s.PushSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=s.PushAnswerSerializer)
    def answer(self, request, pk=None):
        push = self.get_object()
        data = s.PushAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        push = services.push_answer(actor=request.user, push=push, **data.validated_data)
        return Response(s.PushSerializer(push).data)
