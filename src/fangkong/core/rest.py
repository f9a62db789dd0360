"""Shared API plumbing: one error shape, pagination, scoped permission classes, schema.

Every API error is `{"message": str, "extra": {"code": str, ...}}`: `message` is in the
caller's language, `extra.code` is a stable English code a client can branch on, and a
validation error adds `extra.fields` = {field: [messages]}.
"""

import logging
import math
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import authentication, exceptions, pagination, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

# Where Django logs its own 500s, so error mails and reporters see API failures too.
logger = logging.getLogger("django.request")

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


# -- errors ---------------------------------------------------------------------------------


class CsrfFailed(exceptions.APIException):
    """A session-authenticated write without the CSRF token: refused, but not a scope denial."""

    status_code = status.HTTP_403_FORBIDDEN
    default_detail = gettext_lazy("CSRF check failed.")
    default_code = "csrf_failed"


class LockedOut(exceptions.APIException):
    """Too many failed logins for this username from this address (django-axes)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("Too many failed login attempts. Try again later.")
    default_code = "locked_out"

    def __init__(self, retry_after: int | None = None):
        super().__init__()
        self.retry_after = retry_after


def _messages(detail):
    if isinstance(detail, dict):
        return {
            (NON_FIELD if key == NON_FIELD_ERRORS else key): _messages(value)
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        if any(isinstance(item, dict | list) for item in detail):
            return [_messages(item) for item in detail]
        return [str(item) for item in detail]
    return [str(detail)]


def _is_csrf_failure(exc) -> bool:
    # rest_framework.authentication.SessionAuthentication.enforce_csrf raises PermissionDenied
    # with this untranslated prefix; subclassing it instead would import DRF's views from
    # the authentication settings, a circular import.
    return isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith(
        "CSRF Failed"
    )


def _code(exc) -> str:
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "error")


def exception_handler(exc, context):
    """Render every API exception as {"message": str, "extra": {...}}.

    Permission failures become 404 like missing objects: a caller outside the scope or
    without the role learns nothing about what exists.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        )
    reason = None
    if _is_csrf_failure(exc):
        # A missing CSRF token is a client mistake to fix, not a denial to hide.
        reason = str(exc.detail)
        exc = CsrfFailed()
    elif isinstance(exc, Http404 | DjangoPermissionDenied | exceptions.PermissionDenied):
        exc = exceptions.NotFound()
    # Imported here: DRF imports this module (for its settings) before its views exist.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return _server_error(exc, context)
    extra: dict = {"code": _code(exc)}
    if isinstance(exc, exceptions.ValidationError):
        message = _("Invalid input.")
        extra = {"code": "invalid", "fields": _messages(exc.detail)}
    else:
        detail = getattr(exc, "detail", "")
        message = str(detail) if not isinstance(detail, dict | list) else _("Request failed.")
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after"] = math.ceil(exc.wait)
    if isinstance(exc, LockedOut) and exc.retry_after:
        extra["retry_after"] = exc.retry_after
        response["Retry-After"] = str(exc.retry_after)
    if reason:
        extra["reason"] = reason
    if isinstance(exc, exceptions.MethodNotAllowed):
        view = context["view"]
        extra["allowed"] = sorted(
            m for m in view.allowed_methods if m != "OPTIONS" or view.metadata_class is not None
        )
    response.data = {"message": message, "extra": extra}
    return response


def _server_error(exc, context):
    if settings.DEBUG:
        return None  # Django's technical 500 page is more useful to a developer.
    request = context.get("request")
    logger.error(
        "Internal Server Error: %s",
        getattr(request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": getattr(request, "_request", None)},
    )
    from rest_framework.views import set_rollback

    set_rollback()
    return error_response(
        _("Server error."), status.HTTP_500_INTERNAL_SERVER_ERROR, code="server_error"
    )


def error_response(
    message: str, status: int, extra: dict | None = None, *, code: str = "error"
) -> Response:
    return Response({"message": message, "extra": {"code": code, **(extra or {})}}, status=status)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Unknown URLs under /api/ answer in the error shape instead of an HTML page.

    A GET for a known route without its trailing slash is redirected like Django's
    APPEND_SLASH would; other methods get the slashed URL as a hint (a redirect drops a body).
    """
    extra: dict = {"code": "not_found"}
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            target = request.path + "/"
            if request.GET:
                target += "?" + urlencode(list(request.GET.lists()), doseq=True)
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(target)
            extra["hint"] = request.path + "/"
    return JsonResponse({"message": _("Not found."), "extra": extra}, status=404)


# -- authentication and permissions -----------------------------------------------------------


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication with the token's user read by one plain query: compiling
    DRF's select_related lookup cost about a tenth of a checkpoint registration's CPU time
    under load (issue 3's benchmark)."""

    def authenticate_credentials(self, key):
        User = get_user_model()
        qn = connection.ops.quote_name
        sql = (
            f"SELECT u.* FROM {qn(User._meta.db_table)} u "  # noqa: S608 - names from models
            f"JOIN {qn(Token._meta.db_table)} t ON t.user_id = u.id WHERE t.key = %s"
        )
        user = next(iter(User.objects.raw(sql, [key])), None)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, Token(key=key, user=user)


class HasModelPermission(permissions.BasePermission):
    """Maps a view's `required_perms` (action -> Django permissions) onto the user.

    Fails closed: an action the view does not list is denied. The key "*" covers requests
    the view has no action for (an unrouted method, OPTIONS), so a reader is told 405 and
    anyone else 404.
    """

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        table = getattr(view, "required_perms", {})
        action = getattr(view, "action", None)
        needed = table.get(action) if action not in (None, "metadata") else table.get("*")
        if needed is None:
            return False
        return all(request.user.has_perm(p) for p in needed)


# -- pagination ----------------------------------------------------------------------------


class Pagination(pagination.BasePagination):
    """Page numbers with a count capped at `count_cap` rows.

    Counting a district's 600 000 persons for every page would cost more than the page
    itself; like core.web.CappedPaginator the count stops at the cap (and says so in
    `count_capped`), while `next` is found by reading one row past the page, so paging
    continues beyond the cap.
    """

    page_size = api_settings.PAGE_SIZE
    max_page_size = 500
    count_cap = 10000
    page_query_param = "page"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        self.number = self._page_number(request)
        offset = (self.number - 1) * size
        rows = list(queryset[offset : offset + size + 1])
        if self.number > 1 and not rows:
            raise exceptions.NotFound(_("Invalid page."))
        self.has_next = len(rows) > size
        rows = rows[:size]
        if not self.has_next:
            # The last page tells the total without a COUNT query.
            self.count = offset + len(rows)
        else:
            self.count = queryset[: self.count_cap + 1].count()
        self.count_capped = self.count > self.count_cap
        self.count = min(self.count, self.count_cap)
        return rows

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Enter a whole number of at least 1.")]}
            )
        return min(size, self.max_page_size)

    def _page_number(self, request) -> int:
        raw = request.query_params.get(self.page_query_param, "1")
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            raise exceptions.NotFound(_("Invalid page."))
        return number

    def _link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_capped": self.count_capped,
                "next": self._link(self.number + 1) if self.has_next else None,
                "previous": self._link(self.number - 1) if self.number > 1 else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_capped", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": str(
                        gettext_lazy(
                            "Number of matching rows, counted up to %(cap)d; past the cap "
                            "count_capped is true and count stays at the cap."
                        )
                        % {"cap": self.count_cap}
                    ),
                    "example": 123,
                },
                "count_capped": {
                    "type": "boolean",
                    "description": str(gettext_lazy("True when more rows match than count says.")),
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(gettext_lazy("Page number, from 1.")),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    gettext_lazy("Rows per page (default %(default)d, at most %(max)d).")
                    % {"default": self.page_size or 0, "max": self.max_page_size}
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


# -- schema --------------------------------------------------------------------------------


class ErrorExtraSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy(
            "Stable error code: invalid, not_found, not_authenticated, authentication_failed, "
            "method_not_allowed, not_acceptable, unsupported_media_type, parse_error, "
            "throttled, locked_out, csrf_failed, server_error."
        )
    )
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=gettext_lazy("Validation errors: field name -> messages."),
    )
    retry_after = serializers.IntegerField(
        required=False, help_text=gettext_lazy("Seconds to wait before trying again.")
    )
    allowed = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=gettext_lazy("With method_not_allowed: the methods this URL accepts."),
    )
    hint = serializers.CharField(
        required=False,
        help_text=gettext_lazy("With not_found: the same URL with its trailing slash."),
    )
    reason = serializers.CharField(
        required=False, help_text=gettext_lazy("With csrf_failed: why the check failed.")
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    message = serializers.CharField(help_text=gettext_lazy("What went wrong, for a person."))
    extra = ErrorExtraSerializer()


SCHEMA_DESCRIPTION = gettext_lazy(
    "Fangkong command platform API. Every list and object is limited to the caller's scope "
    "(a node of the area tree); an object outside the scope, or one the caller's roles do not "
    "permit, answers 404 exactly like a missing one. Every error answers "
    '{"message": str, "extra": {"code": str, ...}}; validation errors list messages per field '
    "in extra.fields. List counts stop at %(cap)d rows (count_capped is then true). "
    'Authenticate with the session of the web pages or with "Authorization: Token <token>" '
    "from POST /api/v1/auth/token/."
)


def schema_description_hook(result, generator, request, public):
    result["info"]["description"] = str(SCHEMA_DESCRIPTION) % {"cap": Pagination.count_cap}
    return result
