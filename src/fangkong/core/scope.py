"""The one scoping mechanism: a user sees the subtree of the area tree rooted at their scope.

Area codes are the statistics division codes at their significant length (37, 3703, 370305,
370305003, 370305003001) and grids extend their village's code (370305003001002), so a subtree
is exactly the codes that start with the root's code. That is expressed as a half-open range
[code, code + 1) — "370305109" covers ["370305109", "370305110") — which both SQLite and
PostgreSQL answer from a plain B-tree index; a prefix LIKE would need special operator classes
on PostgreSQL and a case-sensitive pragma on SQLite. The bound stays all digits because
PostgreSQL's locale collations ignore punctuation, so "37030510:" would sort before the codes
it is meant to close.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def code_range(code: str) -> tuple[str, str]:
    if not code.isdigit() or set(code) == {"9"}:
        # No statistics code is all nines; anything else is a programming error.
        raise ValueError(f"{code!r} is not an area code")
    return code, str(int(code) + 1).zfill(len(code))


def scope_filter(field: str, code: str) -> models.Q:
    """Q object selecting rows whose `field` (an area code or area FK) lies under `code`."""
    low, high = code_range(code)
    return models.Q(**{f"{field}__gte": low, f"{field}__lt": high})


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a model that carries an `area` (a FK to Area, whose key is the code)."""

    scope_field = "area"

    def within(self, area_or_code):
        """Rows under the given area; `None` (a user without a scope) sees nothing."""
        if area_or_code is None:
            return self.none()
        code = area_or_code if isinstance(area_or_code, str) else area_or_code.code
        return self.filter(scope_filter(self.scope_field, code))

    def for_user(self, user):
        return self.within(getattr(user, "scope_id", None) if user.is_authenticated else None)


def is_within(code: str, scope_code: str | None) -> bool:
    return bool(scope_code) and code.startswith(scope_code)


# Significant lengths of area codes, province to grid.
CODE_LENGTHS = (2, 4, 6, 9, 12, 15)


def ancestor_codes(code: str) -> list[str]:
    """The code and every code above it: "370305003" -> ["37", "3703", "370305", "370305003"].

    The scopes that cover `code`, as a list for `scope_id__in`.
    """
    return [code[:n] for n in CODE_LENGTHS if n <= len(code)]


def require_within(actor, code: str) -> None:
    """Refuse a service call on `code` outside the actor's scope (None: the system acts).

    Views and the API already offer only what is in scope; this stops a forged request that
    reaches a service directly.
    """
    if actor is not None and not is_within(code, actor.scope_id):
        raise ValidationError({"area": _("This area is outside your scope")})
