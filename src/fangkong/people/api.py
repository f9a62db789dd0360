"""Persons and households API: scoped reads from people.selectors, writes through
people.services, exactly as the HTML pages do."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from fangkong.core.rest import HasModelPermission
from fangkong.core.web import client_origin
from fangkong.people import serializers as s
from fangkong.people.selectors import (
    household_list,
    household_queryset,
    person_list,
    person_queryset,
)
from fangkong.people.services import (
    PERSON_FIELDS,
    household_create,
    household_update,
    person_create,
    person_reveal,
    person_update,
)

VIEW_PERSON = ["people.view_person"]
VIEW_HOUSEHOLD = ["people.view_household"]


class _ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reads through a selector; writes validated by `write_serializer_class`, saved by a
    service. PUT and PATCH both start from the stored values; PUT requires the required
    fields."""

    permission_classes = [HasModelPermission]
    write_serializer_class: type
    filter_serializer_class: type

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.serializer_class

    def _filters(self) -> dict:
        filters = self.filter_serializer_class(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.validated_data

    def _input(self, *, partial: bool = False) -> dict:
        serializer = self.write_serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _output(self, obj, status_code=status.HTTP_200_OK):
        return Response(
            self.serializer_class(obj, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary=_("List persons in your scope"), parameters=[s.PersonFilterSerializer]
    ),
    retrieve=extend_schema(summary=_("One person")),
    create=extend_schema(
        summary=_("Register a person"),
        request=s.PersonWriteSerializer,
        responses={201: s.PersonSerializer},
    ),
    update=extend_schema(
        summary=_("Change a person"), request=s.PersonWriteSerializer, responses=s.PersonSerializer
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a person"),
        request=s.PersonWriteSerializer,
        responses=s.PersonSerializer,
    ),
)
class PersonViewSet(_ServiceViewSet):
    serializer_class = s.PersonSerializer
    write_serializer_class = s.PersonWriteSerializer
    filter_serializer_class = s.PersonFilterSerializer
    throttle_classes = [ScopedRateThrottle]
    required_perms = {
        "*": VIEW_PERSON,
        "list": VIEW_PERSON,
        "retrieve": VIEW_PERSON,
        "create": [*VIEW_PERSON, "people.add_person"],
        "update": [*VIEW_PERSON, "people.change_person"],
        "partial_update": [*VIEW_PERSON, "people.change_person"],
        "reveal": [*VIEW_PERSON, "people.reveal_pii"],
    }

    @property
    def throttle_scope(self):
        # Only revealing is rate-limited: a burst of reveals is scraping, not casework.
        return "reveal" if getattr(self, "action", None) == "reveal" else None

    def get_queryset(self):
        if self.action == "list":
            return person_list(user=self.request.user, **self._filters())
        return person_queryset(user=self.request.user)

    def create(self, request, *args, **kwargs):
        person = person_create(actor=request.user, **self._input())
        return self._output(person, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        person = self.get_object()
        data = self._input(partial=partial)
        person = person_update(
            actor=request.user,
            person=person,
            area=data.get("area", person.area),
            name=data.get("name", person.name),
            id_number=data.get("id_number"),
            phone=data.get("phone"),
            household=data.get("household", person.household),
            **{f: data.get(f, getattr(person, f)) for f in PERSON_FIELDS if f != "name"},
        )
        return self._output(person)

    @extend_schema(
        summary=_("Reveal a full ID number or phone"),
        description=_(
            "Needs the permission to reveal personal information; every call is written to "
            "the access log. Without the permission the person reads as not found."
        ),
        request=s.RevealRequestSerializer,
        responses={200: OpenApiResponse(s.RevealSerializer)},
    )
    @action(detail=True, methods=["post"], serializer_class=s.RevealRequestSerializer)
    def reveal(self, request, pk=None):
        person = self.get_object()
        data = s.RevealRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        field = data.validated_data["field"]
        try:
            value = person_reveal(
                actor=request.user, person=person, field=field, origin=client_origin(request)
            )
        except PermissionError:
            raise NotFound() from None
        return Response({"field": field, "value": value})


@extend_schema_view(
    list=extend_schema(
        summary=_("List households in your scope"), parameters=[s.HouseholdFilterSerializer]
    ),
    retrieve=extend_schema(summary=_("One household with its members")),
    create=extend_schema(
        summary=_("Register a household"),
        request=s.HouseholdWriteSerializer,
        responses={201: s.HouseholdSerializer},
    ),
    update=extend_schema(
        summary=_("Change a household"),
        request=s.HouseholdWriteSerializer,
        responses=s.HouseholdSerializer,
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a household"),
        request=s.HouseholdWriteSerializer,
        responses=s.HouseholdSerializer,
    ),
)
class HouseholdViewSet(_ServiceViewSet):
    serializer_class = s.HouseholdSerializer
    write_serializer_class = s.HouseholdWriteSerializer
    filter_serializer_class = s.HouseholdFilterSerializer
    required_perms = {
        "*": VIEW_HOUSEHOLD,
        "list": VIEW_HOUSEHOLD,
        "retrieve": VIEW_HOUSEHOLD,
        "create": [*VIEW_HOUSEHOLD, "people.add_household"],
        "update": [*VIEW_HOUSEHOLD, "people.change_household"],
        "partial_update": [*VIEW_HOUSEHOLD, "people.change_household"],
    }

    def get_queryset(self):
        if self.action == "list":
            return household_list(user=self.request.user, **self._filters())
        return household_queryset(user=self.request.user)

    @extend_schema(responses=s.HouseholdDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        household = self.get_object()
        # Members come from the scoped selector: a grid worker sees only the members in
        # their grid even when the household has others elsewhere in the village.
        members = (
            person_list(user=request.user, household=household.pk)
            .select_related(None)
            .only("id", "name")
        )
        context = {**self.get_serializer_context(), "members": members}
        return Response(s.HouseholdDetailSerializer(household, context=context).data)

    def create(self, request, *args, **kwargs):
        household = household_create(actor=request.user, **self._input())
        return self._output(household, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        household = self.get_object()
        data = self._input(partial=partial)
        household = household_update(
            actor=request.user,
            household=household,
            **{
                f: data.get(f, getattr(household, f))
                for f in ("area", "address", "head_name", "number", "note")
            },
        )
        return self._output(household)
