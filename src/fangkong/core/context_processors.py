from fangkong.core import navigation as nav


def navigation(request):
    """The sidebar of base.html, built only when a template asks for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {"nav_sections": lambda: nav.sidebar(user, view_name)}
