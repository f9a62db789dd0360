import re

from django.urls import reverse

from fangkong.accounts.models import User
from tests import factories

URL = reverse("accounts:user_create")


def _data(tree, **extra):
    data = {
        "username": "newgrid",
        "full_name": "新网格员",
        "phone": "13800000000",
        "title": "网格员",
        "scope": tree.grid2.code,
        "roles": ["grid_worker"],
        "password1": "Strong-pass-2020",
        "password2": "Strong-pass-2020",
    }
    data.update(extra)
    return data


def _errors(response) -> set[str]:
    return set(re.findall(r'data-field-error="(\w+)"', response.content.decode()))


def test_it_creates_a_user_in_the_scope(client_for, users, tree):
    response = client_for(users.town).post(URL, _data(tree))
    assert response.status_code == 302
    user = User.objects.get(username="newgrid")
    assert user.scope == tree.grid2 and user.full_name == "新网格员"
    assert list(user.groups.values_list("name", flat=True)) == ["grid_worker"]
    assert user.check_password("Strong-pass-2020")


def test_it_offers_only_grantable_roles_and_areas_in_scope(client_for, users, tree):
    form = client_for(factories.account_admin(tree.town)).get(URL).context["form"]
    roles = {name for name, _label in form.fields["roles"].choices}
    assert "volunteer" in roles and "grid_worker" not in roles and "command" not in roles
    form = client_for(users.town).get(URL).context["form"]
    scopes = {code for code, _label in form.fields["scope"].choices}
    assert tree.town.code in scopes and tree.grid.code in scopes
    assert tree.other_town.code not in scopes and tree.county.code not in scopes


def test_it_refuses_what_the_actor_may_not_grant(client_for, users, tree):
    response = client_for(factories.account_admin(tree.town)).post(
        URL, _data(tree, roles=["grid_worker"])
    )
    assert response.status_code == 400 and "roles" in _errors(response)
    client = client_for(users.town)
    for extra, field in (
        ({"roles": ["no_such_role"]}, "roles"),
        ({"scope": tree.other_town.code}, "scope"),
        ({"scope": tree.county.code}, "scope"),
        ({"password2": "Other-pass-2020"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"username": "town"}, "username"),
        ({"username": "bad name!"}, "username"),
    ):
        response = client.post(URL, _data(tree, **extra))
        assert response.status_code == 400, extra
        assert field in _errors(response), extra
    assert not User.objects.filter(username__in=["newgrid", "bad name!"]).exists()


def test_it_is_hidden_without_the_permission(client_for, users, tree):
    for who in ("village", "grid", "norole"):
        response = client_for(getattr(users, who)).post(URL, _data(tree))
        assert response.status_code == 404, who
    assert not User.objects.filter(username="newgrid").exists()
