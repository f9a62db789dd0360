"""OpenAPI generation: every operation documents its errors in the one error shape.

Kept apart from core.rest because DRF imports core.rest (pagination, exception handler) while
it is still importing itself, and drf_spectacular.openapi needs DRF fully imported.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import permissions

from fangkong.core.rest import ErrorSerializer, HasModelPermission


class AutoSchema(SpectacularAutoSchema):
    """Adds the error responses every operation can give, all in the one error shape."""

    def get_description(self):
        # Docstrings are written for developers and cannot be translated; operations are
        # described by extend_schema(description=gettext_lazy(...)) where they need it.
        return ""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in self._error_responses():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
                responses[code]["description"] = str(description)
        return responses

    def _error_responses(self):
        view_permissions = self.view.get_permissions()
        public = any(isinstance(p, permissions.AllowAny) for p in view_permissions)
        scoped = any(isinstance(p, HasModelPermission) for p in view_permissions)
        writes = self.method in ("POST", "PUT", "PATCH")
        if writes or self._is_list_view():
            yield "400", gettext_lazy("Invalid input; extra.fields names the fields.")
        if not public:
            yield "401", gettext_lazy("Not authenticated.")
        if scoped:
            yield (
                "404",
                gettext_lazy("Not found, outside your scope, or not permitted to your roles."),
            )
        if writes:
            yield "415", gettext_lazy("Unsupported media type.")
        if getattr(self.view, "throttle_scope", None):
            yield "429", gettext_lazy("Too many requests.")
