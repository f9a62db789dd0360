"""Donations API: the scoped list, detail and registration, through the same selectors and
services as the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from fangkong.core.rest import HasModelPermission
from fangkong.donations import selectors, services
from fangkong.donations import serializers as s

VIEW = [selectors.VIEW]
ADD = [selectors.VIEW, selectors.VIEW_DONOR, selectors.ADD]


@extend_schema_view(
    list=extend_schema(summary=_("Donations received in your scope, newest first")),
    retrieve=extend_schema(
        summary=_("One donation with its goods lines"), responses=s.DonationDetailSerializer
    ),
    create=extend_schema(
        summary=_("Register a donation of money, goods or both"),
        request=s.DonationWriteSerializer,
        responses={201: s.DonationDetailSerializer},
    ),
)
class DonationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.DonationSerializer
    permission_classes = [HasModelPermission]
    required_perms = {"*": VIEW, "list": VIEW, "retrieve": VIEW, "create": ADD}

    def get_queryset(self):
        return selectors.donation_list(user=self.request.user)

    def _detail(self, donation):
        context = {**self.get_serializer_context(), "lines": selectors.lines_of(donation)}
        return s.DonationDetailSerializer(donation, context=context).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def create(self, request, *args, **kwargs):
        data = s.DonationWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        donation = services.donation_create(actor=request.user, **data.validated_data)
        donation = selectors.donation_list(user=request.user).get(pk=donation.pk)
        return Response(self._detail(donation), status=status.HTTP_201_CREATED)
