"""Directives API: the sender's scoped list and detail, and the recipient unit's list, detail,
sign and feedback, through the same selectors and services as the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from fangkong.core.rest import HasModelPermission
from fangkong.directives import selectors, services
from fangkong.directives import serializers as s

SENDER = [selectors.VIEW, selectors.SEND]
SIGNER = [selectors.VIEW, selectors.SIGN]


@extend_schema_view(
    list=extend_schema(summary=_("Directives sent from your scope, with sign and answer counts")),
    retrieve=extend_schema(
        summary=_("One directive with every recipient unit's status"),
        responses=s.DirectiveDetailSerializer,
    ),
)
class DirectiveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DirectiveSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": SENDER, "list": SENDER, "retrieve": SENDER}

    def get_queryset(self):
        return selectors.sent_list(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        directive = self.get_object()
        context = {
            **self.get_serializer_context(),
            "attachments": selectors.directive_attachments(directive),
            "recipients": selectors.recipient_status(directive),
        }
        return Response(s.DirectiveDetailSerializer(directive, context=context).data)


@extend_schema_view(
    list=extend_schema(summary=_("Directives your unit received, unsigned first")),
    retrieve=extend_schema(
        summary=_("One received directive with its files and your unit's feedback"),
        responses=s.ReceivedDetailSerializer,
    ),
)
class ReceivedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ReceivedSerializer
    permission_classes = [HasModelPermission]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    required_perms = {
        "*": SIGNER,
        "list": SIGNER,
        "retrieve": SIGNER,
        "sign": SIGNER,
        "feedback": SIGNER,
    }

    def get_queryset(self):
        return selectors.received_list(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        recipient = self.get_object()
        return Response(self._detail(recipient))

    def _detail(self, recipient):
        context = {
            **self.get_serializer_context(),
            "attachments": selectors.directive_attachments(recipient.directive),
            "feedbacks": list(selectors.feedbacks_of(recipient)),
        }
        return s.ReceivedDetailSerializer(recipient, context=context).data

    @extend_schema(summary=_("Sign for the directive (签收), once per unit"), request=None)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        recipient = services.recipient_sign(actor=request.user, recipient=self.get_object())
        return Response(s.ReceivedSerializer(recipient).data)

    @extend_schema(
        summary=_("Submit feedback (反馈), with attachments as multipart"),
        request={"multipart/form-data": s.FeedbackWriteSerializer},
        responses={201: s.FeedbackSerializer},
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        recipient = self.get_object()
        data = s.FeedbackWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = services.feedback_submit(
            actor=request.user,
            recipient=recipient,
            text=data.validated_data["text"],
            files=data.validated_data.get("files", []),
        )
        return Response(s.FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)
