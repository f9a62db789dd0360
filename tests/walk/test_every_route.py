"""Walks every registered URL and API route with users outside the data's scope.

A route added without a way to reach it here fails `test_it_knows_every_route`: add its
parameters to PARAMS (and, if it is meant to be public, to PUBLIC) when you add the route.
A module keeps its own part in `tests/<module>/walk.py`: `PARAMS`, optional `PUBLIC` and
`ANY_USER` sets, and `world(tree, users, base) -> dict` adding its in-scope objects (created
with the name MARKER where they show a name), so the walker needs no edit per module.
"""

import hashlib
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fangkong.core.models import ExportJob, ImportJob
from tests import factories

# Routes anyone may open, logged in or not.
PUBLIC = {"login", "accounts:login", "api-schema", "api-docs", "api-token", "api-not-found"}
# Routes every logged-in user may open whatever their roles (they show only the user's own data).
ANY_USER = {"home", "logout", "accounts:logout", "api-me", "api-root"}
MARKER = "范围内测试人"


def _module_walks():
    tests_dir = Path(__file__).resolve().parent.parent
    found = []
    for info in pkgutil.iter_modules([str(tests_dir)]):
        if (tests_dir / info.name / "walk.py").exists():
            found.append(importlib.import_module(f"tests.{info.name}.walk"))
    return found


MODULE_WALKS = _module_walks()
for _walk in MODULE_WALKS:
    PUBLIC |= set(getattr(_walk, "PUBLIC", ()))
    ANY_USER |= set(getattr(_walk, "ANY_USER", ()))


def routes():
    """(qualified name, parameter names) for every named route, format suffixes left out."""

    def walk(patterns, namespace, params):
        for entry in patterns:
            names = set(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, ns, params | names)
            elif isinstance(entry, URLPattern) and entry.name:
                all_names = params | names
                if "format" in all_names:
                    continue
                qualified = f"{namespace}:{entry.name}" if namespace else entry.name
                yield qualified, frozenset(all_names)

    return sorted(set(walk(get_resolver().url_patterns, "", frozenset())))


@pytest.fixture
def world(tree, users):
    person = factories.person(tree.grid, MARKER)
    household = factories.household(tree.grid, MARKER)
    import_job = ImportJob.objects.create(
        kind="persons", area=tree.town, created_by=users.town, original_name="x.xlsx"
    )
    export_job = ExportJob.objects.create(kind="persons", area=tree.town, created_by=users.town)
    base = {
        "person": person,
        "household": household,
        "import_job": import_job,
        "export_job": export_job,
        "user": users.village,
        "area": tree.village,
    }
    for walk in MODULE_WALKS:
        if hasattr(walk, "world"):
            base.update(walk.world(tree, users, base))
    return base


# name pattern -> parameter values, from the in-scope objects of `world`.
PARAMS = [
    (r"^people:person_", lambda w: {"pk": w["person"].pk, "field": "id_number"}),
    (r"^people:household_", lambda w: {"pk": w["household"].pk}),
    (r"^accounts:user_", lambda w: {"pk": w["user"].pk}),
    (r"^core:area_", lambda w: {"code": w["area"].code}),
    (r"^api-area-", lambda w: {"pk": w["area"].code, "code": w["area"].code}),
    (r"^api-person-", lambda w: {"pk": w["person"].pk}),
    (r"^api-household-", lambda w: {"pk": w["household"].pk}),
    (r"^transfer:.*import", lambda w: {"pk": w["import_job"].pk, "kind": "persons"}),
    (r"^transfer:.*export", lambda w: {"pk": w["export_job"].pk, "kind": "persons"}),
    (r"^transfer:", lambda w: {"kind": "persons"}),
]
for _walk in MODULE_WALKS:
    PARAMS = list(getattr(_walk, "PARAMS", ())) + PARAMS


def url_for(name, params, world):
    if not params:
        return reverse(name)
    for pattern, build in PARAMS:
        if re.search(pattern, name):
            values = build(world)
            missing = params - values.keys()
            assert not missing, f"{name}: add {sorted(missing)} to PARAMS"
            return reverse(name, kwargs={k: values[k] for k in params})
    raise AssertionError(f"{name} takes {sorted(params)}: add it to PARAMS in {__file__}")


def snapshot():
    """A digest of every row the project owns, to prove denied calls wrote nothing."""
    digest = hashlib.sha256()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in {"sessions", "axes", "contenttypes", "admin"}:
            continue
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_it_knows_every_route(world):
    for name, params in routes():
        url_for(name, params, world)


def test_it_sends_anonymous_callers_to_login(client, world):
    for name, params in routes():
        if name in PUBLIC:
            continue
        url = url_for(name, params, world)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, (name, url, response.status_code)
        else:
            assert response.status_code in (302, 405), (name, url, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"], (name, url)


@pytest.mark.parametrize("who", ["outsider", "other_town"])
def test_it_hides_in_scope_objects_from_other_scopes(client, users, world, who):
    client.force_login(getattr(users, who))
    for name, params in routes():
        if name in PUBLIC | ANY_USER:
            continue
        url = url_for(name, params, world)
        response = client.get(url)
        if params - {"kind", "field"}:
            assert response.status_code in (404, 405), (name, url, response.status_code)
        else:
            assert response.status_code in (200, 404, 405), (name, url, response.status_code)
        body = response.content.decode(errors="replace")
        assert MARKER not in body, (name, url)
        assert world["person"].id_number_masked not in body, (name, url)


def test_it_hides_everything_from_a_user_without_roles(client, users, world):
    client.force_login(users.norole)
    for name, params in routes():
        if name in PUBLIC | ANY_USER:
            continue
        url = url_for(name, params, world)
        response = client.get(url)
        assert response.status_code in (404, 405), (name, url, response.status_code)


@pytest.mark.parametrize("who", ["outsider", "other_town", "norole"])
def test_it_changes_nothing_on_denied_writes(client, users, world, who):
    client.force_login(getattr(users, who))
    before = snapshot()
    for name, params in routes():
        if name in PUBLIC | ANY_USER:
            continue
        url = url_for(name, params, world)
        payload = {"name": "改", "area": world["area"].code, "field": "id_number"}
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, payload, content_type="application/json")
            assert response.status_code in (400, 404, 405), (name, method, url)
            body = response.content.decode(errors="replace")
            assert MARKER not in body and world["person"].id_number_masked not in body
    assert snapshot() == before
