"""Who am I, and API tokens for clients that cannot keep a session (checkpoint phones)."""

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from fangkong.accounts.roles import ROLES
from fangkong.core.rest import LockedOut


class ScopeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()


class RoleSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    title = serializers.CharField()
    phone = serializers.CharField()
    scope = ScopeSerializer(allow_null=True)
    roles = RoleSerializer(many=True)
    permissions = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy('Django permissions held, "app_label.codename".'),
    )


class MeView(APIView):
    @extend_schema(summary=gettext_lazy("The signed-in user"), responses=MeSerializer)
    def get(self, request):
        user = request.user
        scope = user.scope
        roles = sorted(user.groups.values_list("name", flat=True))
        data = {
            "id": user.pk,
            "username": user.username,
            "full_name": user.full_name,
            "title": user.title,
            "phone": user.phone,
            "scope": (
                {"code": scope.code, "name": scope.name, "level": scope.level} if scope else None
            ),
            "roles": [{"name": r, "label": str(ROLES[r][0]) if r in ROLES else r} for r in roles],
            "permissions": sorted(user.get_all_permissions()),
        }
        return Response(MeSerializer(data).data)


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=gettext_lazy('Send it as the header "Authorization: Token <token>".')
    )


class TokenView(APIView):
    """POST obtains the caller's API token; DELETE revokes it."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        summary=gettext_lazy("Obtain an API token"),
        description=gettext_lazy(
            "Repeated failures lock the username out from this address for a while "
            "(429, extra.code locked_out)."
        ),
        request=CredentialsSerializer,
        responses={200: TokenSerializer},
    )
    def post(self, request):
        form = CredentialsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: django-axes records the attempt on it and
        # reads its address, and its lockout flag must be seen (and answered) here.
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # Answer in the API's error shape; left set, the flag makes AxesMiddleware swap
            # the response for the HTML lockout page.
            django_request.axes_locked_out = False
            raise LockedOut(retry_after=_cooloff_seconds(django_request))
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Wrong username or password.")]}
            )
        # Obtaining a token is signing in: last_login is set and django-axes clears the
        # failures, exactly as after the login page.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(
        summary=gettext_lazy("Revoke your API token"),
        description=gettext_lazy("The token stops working at once; obtain a new one to go on."),
        responses={204: OpenApiResponse(description=gettext_lazy("Token revoked."))},
    )
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _cooloff_seconds(request) -> int | None:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else None
