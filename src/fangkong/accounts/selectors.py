from django.db.models import Q, QuerySet

from fangkong.accounts.models import User
from fangkong.core.scope import scope_filter


def user_list(*, user, q: str = "", role: str = "", area: str = "") -> QuerySet[User]:
    qs = User.objects.for_user(user).select_related("scope").prefetch_related("groups")
    if area:
        qs = qs.filter(scope_filter("scope", area))
    if role:
        qs = qs.filter(groups__name=role)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__contains=q))
    return qs.order_by("scope_id", "username")
