from django.urls import reverse

from fangkong.accounts.roles import ROLES
from tests import factories


def url(user):
    return reverse("accounts:user_edit", args=[user.pk])


def _data(user, **extra):
    data = {
        "full_name": user.full_name,
        "phone": user.phone,
        "title": user.title,
        "scope": user.scope_id,
        "roles": list(user.groups.values_list("name", flat=True)),
        "is_active": "on" if user.is_active else "",
    }
    data.update(extra)
    return data


def test_it_edits_scope_roles_and_state(client_for, users, tree):
    target = users.grid
    data = _data(target, full_name="孙网格", scope=tree.grid2.code, roles=["village_staff"])
    data.pop("is_active")
    response = client_for(users.town).post(url(target), data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.full_name == "孙网格" and target.scope == tree.grid2
    assert not target.is_active
    assert list(target.groups.values_list("name", flat=True)) == ["village_staff"]


def test_it_prefills_the_form(client_for, users):
    form = client_for(users.town).get(url(users.grid)).context["form"]
    assert form.initial["roles"] == ["grid_worker"]
    assert form.initial["scope"] == users.grid.scope_id


def test_it_refuses_grants_beyond_the_actor(client_for, users, tree):
    client = client_for(users.town)
    for extra in ({"roles": ["no_such_role"]}, {"scope": tree.other_town.code}):
        assert client.post(url(users.grid), _data(users.grid, **extra)).status_code == 400
    response = client.post(url(users.town), _data(users.town, is_active=""))
    assert response.status_code == 400
    users.grid.refresh_from_db()
    assert users.grid.scope == tree.grid


def test_it_warns_about_roles_the_actor_cannot_grant(client_for, users, tree):
    response = client_for(factories.account_admin(tree.town)).get(url(users.grid))
    assert [str(r) for r in response.context["kept_back"]] == [str(ROLES["grid_worker"][0])]
    response = client_for(users.town).get(url(users.grid))
    assert response.context["kept_back"] == []


def test_it_answers_404_outside_the_scope_or_without_the_permission(client_for, users):
    assert client_for(users.town).get(url(users.other_town)).status_code == 404
    assert client_for(users.town).get(url(users.command)).status_code == 404
    assert client_for(users.outsider).get(url(users.grid)).status_code == 404
    for who in ("village", "norole"):
        response = client_for(getattr(users, who)).post(url(users.grid), _data(users.grid))
        assert response.status_code == 404, who
