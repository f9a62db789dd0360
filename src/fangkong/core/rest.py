"""Shared API plumbing: one error shape, pagination, scoped permission classes."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _messages(detail):
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) for item in detail]
    return [str(detail)]


def exception_handler(exc, context):
    """Every API error is {"message": str, "extra": {...}}.

    Permission failures become 404 like missing objects: a caller outside the scope or
    without the role learns nothing about what exists.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404 | DjangoPermissionDenied | exceptions.PermissionDenied):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        message = _("Invalid input.")
        extra = {"fields": _messages(exc.detail)}
    else:
        detail = getattr(exc, "detail", "")
        message = str(detail) if not isinstance(detail, dict | list) else _("Request failed.")
        extra = {}
    response.data = {"message": message, "extra": extra}
    return response


class HasModelPermission(permissions.BasePermission):
    """Maps a view's `required_perms` (per action) onto Django permissions."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        needed = getattr(view, "required_perms", {}).get(getattr(view, "action", None), [])
        return all(request.user.has_perm(p) for p in needed)


def error_response(message: str, status: int, extra: dict | None = None) -> Response:
    return Response({"message": message, "extra": extra or {}}, status=status)
