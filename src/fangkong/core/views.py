from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from fangkong.accounts.roles import ROLES
from fangkong.core import navigation
from fangkong.core.forms import AccessLogFilterForm
from fangkong.core.models import AccessLog, Area
from fangkong.core.scope import scope_filter
from fangkong.core.web import paginate, require_perm
from fangkong.people.selectors import person_queryset

SEARCH_LIMIT = 30


@require_safe
@login_required
def home(request):
    user = request.user
    roles = sorted(user.groups.values_list("name", flat=True))
    return render(
        request,
        "core/home.html",
        {
            "roles": [ROLES[name][0] if name in ROLES else name for name in roles],
            "counters": navigation.counters(user),
            "quick_links": navigation.quick_links(user),
            "panels": navigation.panels(request),
        },
    )


def _breadcrumb(user, area: Area) -> list[Area]:
    """The ancestors of `area` from the user's scope down, never above the scope."""
    scope = user.scope_id
    prefixes = [area.code[:n] for n in range(len(scope), len(area.code))]
    ancestors = Area.objects.for_user(user).filter(code__in=prefixes).order_by("code")
    return [*ancestors, area]


def _person_counts(user, area: Area, children: list[Area]) -> dict[str, int]:
    """Persons under each child of `area`, in one grouped query over the area index.

    Children of one node share a code length, so grouping by that prefix of the person's
    area code counts each subtree; persons registered on `area` itself group under its code.
    """
    if not children or not user.has_perm("people.view_person"):
        return {}
    length = len(children[0].code)
    rows = (
        person_queryset(user=user)
        .filter(scope_filter("area", area.code))
        .annotate(prefix=Substr("area_id", 1, length))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["prefix"]: row["n"] for row in rows}


def _search(user, text: str):
    text = text.strip()
    if not text:
        return None
    areas = Area.objects.for_user(user).select_related("parent")
    if text.isdigit():
        condition = Q(code__startswith=text)
    elif text.isascii():
        key = text.lower().replace(" ", "")
        condition = Q(initials__startswith=key) | Q(pinyin__contains=key)
    else:
        condition = Q(name__contains=text)
    return list(areas.filter(condition).order_by("level", "code")[:SEARCH_LIMIT])


def _area_page(request, area: Area):
    user = request.user
    query = request.GET.get("q", "")
    results = _search(user, query)
    if request.htmx and request.htmx.target == "area-results":
        return render(
            request,
            "core/partials/area_results.html",
            {"results": results, "q": query, "limit": SEARCH_LIMIT},
        )
    children = list(area.children.order_by("code"))
    counts = _person_counts(user, area, children)
    for child in children:
        child.person_count = counts.get(child.code, 0)
    # Persons registered on a village itself rather than one of its grids.
    unassigned = counts.get(area.code, 0)
    return render(
        request,
        "core/area_detail.html",
        {
            "area": area,
            "breadcrumb": _breadcrumb(user, area),
            "children": children,
            "unassigned": unassigned if area.level == Area.Level.VILLAGE else 0,
            "show_counts": bool(children) and user.has_perm("people.view_person"),
            "results": results,
            "q": query,
            "limit": SEARCH_LIMIT,
        },
    )


@require_safe
@require_perm("core.view_area")
def area_list(request):
    if not request.user.scope_id:
        raise Http404
    return _area_page(request, request.user.scope)


@require_safe
@require_perm("core.view_area")
def area_detail(request, code):
    area = get_object_or_404(Area.objects.for_user(request.user), code=code)
    return _area_page(request, area)


@require_safe
@require_perm("core.view_accesslog")
def accesslog_list(request):
    form = AccessLogFilterForm(request.GET or None, user=request.user)
    entries = AccessLog.objects.for_user(request.user).select_related("area")
    if form.is_bound:
        entries = form.apply(entries) if form.is_valid() else entries.none()
    return render(
        request,
        "core/accesslog_list.html",
        {"form": form, "page_obj": paginate(request, entries)},
    )
