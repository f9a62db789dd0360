"""Helpers shared by the HTML views of every app."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404

from fangkong.core.services import Origin


def require_perm(*perms: str):
    """Login required; a missing permission answers 404 so a page reveals nothing."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not all(request.user.has_perm(p) for p in perms):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def client_origin(request) -> Origin:
    return Origin(
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


class CappedPaginator(Paginator):
    """Counts at most `cap` rows so a district-wide list costs the same as a village's.

    Beyond the cap the page shows "10000+" and offers the first cap/per_page pages; a user
    looking further narrows the list with its filters.
    """

    cap = 10000

    @property
    def count(self):
        if not hasattr(self, "_capped_count"):
            self._capped_count = self.object_list[: self.cap + 1].count()
        return self._capped_count

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginate(request, queryset, per_page: int | None = None):
    paginator = CappedPaginator(queryset, per_page or settings.FANGKONG_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
