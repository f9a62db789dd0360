import re

from django.contrib.staticfiles import finders
from django.urls import reverse

SIDEBAR = {
    "town": {
        "home",
        "core:area_list",
        "people:person_list",
        "people:household_list",
        "accounts:user_list",
        "core:accesslog_list",
    },
    "command": {
        "home",
        "core:area_list",
        "people:person_list",
        "people:household_list",
        "accounts:user_list",
        "core:accesslog_list",
    },
    "village": {"home", "core:area_list", "people:person_list", "people:household_list"},
    "grid": {"home", "core:area_list", "people:person_list", "people:household_list"},
    "norole": {"home"},
}


def _sidebar_links(body: str) -> set[str]:
    start = body.index('<nav class="offcanvas-body')
    return set(re.findall(r'href="([^"]+)"', body[start : body.index("</nav>", start)]))


def test_it_shows_the_sidebar_of_the_roles(client_for, users):
    every = set().union(*SIDEBAR.values())
    for who, names in SIDEBAR.items():
        body = client_for(getattr(users, who)).get(reverse("home")).content.decode()
        links = _sidebar_links(body)
        assert {reverse(n) for n in names} <= links, who
        assert not ({reverse(n) for n in every - names} & links), who


def test_it_marks_the_current_section(client_for, users):
    body = client_for(users.town).get(reverse("people:person_list")).content.decode()
    active = re.findall(r'<a class="nav-link active" href="([^"]+)"', body)
    assert active == [reverse("people:person_list")]


def test_it_shows_the_user_and_scope_and_a_logout_form(client_for, users):
    body = client_for(users.town).get(reverse("home")).content.decode()
    current = body[body.index('data-testid="current-user"') :][:300]
    assert users.town.display_name in current and "辛店街道" in current
    assert f'<form method="post" action="{reverse("logout")}"' in body
    assert "csrfmiddlewaretoken" in body


def test_it_sends_the_csrf_token_with_htmx_requests(client_for, users):
    response = client_for(users.town).get(reverse("home"))
    token = response.context["csrf_token"]
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in response.content.decode()


def test_it_loads_only_vendored_assets(client_for, users):
    body = client_for(users.town).get(reverse("home")).content.decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', body)
    assert any("bootstrap.min.css" in a for a in assets)
    assert any("htmx.min.js" in a for a in assets)
    assert any("bootstrap.bundle.min.js" in a for a in assets)
    for asset in assets:
        assert finders.find(asset), asset
    assert "//cdn" not in body and "https://" not in body


def test_it_ships_the_vendored_licences_and_fonts():
    for path in (
        "vendor/bootstrap-5.3.9/LICENSE",
        "vendor/bootstrap-icons-1.13.2/LICENSE",
        "vendor/bootstrap-icons-1.13.2/fonts/bootstrap-icons.woff2",
        "vendor/htmx-2.0.11/LICENSE",
        "vendor/echarts-5.6.0/echarts.min.js",
        "vendor/echarts-5.6.0/LICENSE",
    ):
        assert finders.find(path), path


def test_it_renders_the_login_page_without_a_sidebar(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "offcanvas-body" not in body


def test_it_answers_an_unknown_page_with_the_404_page(client_for, users, settings):
    settings.DEBUG = False
    response = client_for(users.town).get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
