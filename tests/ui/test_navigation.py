from django.urls import reverse

from fangkong.core import navigation
from fangkong.core.navigation import HomePanel, NavEntry


def sample_panel(request):
    return {"who": request.user.username}


def test_it_lists_the_entries_a_user_may_open(users):
    sections = navigation.sidebar(users.grid, "people:person_detail")
    urls = [e["url"] for s in sections for e in s["entries"]]
    assert reverse("people:person_list") in urls
    assert reverse("accounts:user_list") not in urls
    active = [e["url"] for s in sections for e in s["entries"] if e["active"]]
    assert active == [reverse("people:person_list")]


def test_it_gives_anonymous_users_no_sidebar(db):
    from django.contrib.auth.models import AnonymousUser

    assert navigation.sidebar(AnonymousUser()) == []


def test_it_takes_entries_registered_by_modules(users, monkeypatch):
    monkeypatch.setattr(navigation.registry, "entries", list(navigation.registry.entries))
    navigation.register(
        NavEntry("Audit again", "core:accesslog_list", "eye", "core.view_accesslog", order=99)
    )
    labels = [e["label"] for s in navigation.sidebar(users.town) for e in s["entries"]]
    assert "Audit again" in labels
    labels = [e["label"] for s in navigation.sidebar(users.grid) for e in s["entries"]]
    assert "Audit again" not in labels


def test_it_skips_entries_whose_urls_are_not_mounted(users, monkeypatch):
    monkeypatch.setattr(navigation.registry, "entries", list(navigation.registry.entries))
    navigation.register(NavEntry("Later", "later:list", "clock"))
    labels = [e["label"] for s in navigation.sidebar(users.town) for e in s["entries"]]
    assert "Later" not in labels


def test_it_marks_entries_active_by_prefix():
    entry = NavEntry("Persons", "people:person_list", "people")
    assert entry.is_active("people:person_edit")
    assert not entry.is_active("people:household_list")
    home = NavEntry("Home", "home", "house", active_prefix="home")
    assert home.is_active("home") and not home.is_active("core:area_list")


def test_it_builds_home_panels_for_permitted_users(users, rf, monkeypatch):
    monkeypatch.setattr(navigation.registry, "panels", [])
    navigation.register_panel(
        HomePanel(
            "core/includes/form_errors.html",
            "core.view_accesslog",
            context="tests.ui.test_navigation.sample_panel",
        )
    )
    request = rf.get("/")
    request.user = users.town
    assert navigation.panels(request) == [
        {"template": "core/includes/form_errors.html", "data": {"who": "town"}}
    ]
    request.user = users.grid
    assert navigation.panels(request) == []


def test_it_counts_within_the_scope(users, tree):
    from tests import factories

    factories.person(tree.grid)
    factories.person(tree.other_village)
    counts = {c["url"]: c["count"] for c in navigation.counters(users.town)}
    assert counts[reverse("people:person_list")] == 1
    counts = {c["url"]: c["count"] for c in navigation.counters(users.command)}
    assert counts[reverse("people:person_list")] == 2
    assert navigation.counters(users.norole) == []
