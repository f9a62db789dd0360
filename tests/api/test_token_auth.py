"""Tokens: core.rest.TokenAuthentication reads the token's user in one plain query."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


def client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_it_authenticates_by_token(users, tree):
    user = factories.user("phone", tree.town, "town_admin")
    key = Token.objects.create(user=user).key
    response = client_with(key).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "phone"


def test_it_refuses_an_unknown_token(users, tree):
    user = factories.user("phone", tree.town, "town_admin")
    key = Token.objects.create(user=user).key
    response = client_with(key[:-1] + ("0" if key[-1] != "0" else "1")).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["message"]


def test_it_refuses_the_token_of_a_deactivated_user(users, tree):
    user = factories.user("gone", tree.town, "town_admin")
    key = Token.objects.create(user=user).key
    user.is_active = False
    user.save()
    assert client_with(key).get("/api/v1/me/").status_code == 401
