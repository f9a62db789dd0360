from django.urls import reverse

from tests import factories


def _login(client, username, password=factories.PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_it_renders_the_login_page(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="username"' in body and 'name="password"' in body
    assert reverse("accounts:login") == reverse("login")


def test_it_logs_in_and_lands_on_home(client, users):
    response = _login(client, "town")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_it_refuses_a_wrong_password(client, users):
    response = _login(client, "town", "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_it_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/")


def test_it_sends_a_logged_in_user_on_to_home(client_for, users):
    response = client_for(users.town).get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_locks_out_after_the_failure_limit(client, users, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _login(client, "town", "wrong").status_code == 200
    response = _login(client, "town", "wrong")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert response.context["failure_limit"] == limit
    # Even the right password is refused until the cool-off has passed.
    response = _login(client, "town")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_shows_the_cool_off_in_minutes(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, "town", "wrong")
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    assert f'data-cooloff-minutes="{minutes}"' in response.content.decode()


def test_it_locks_one_username_only(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "town", "wrong")
    assert _login(client, "village").status_code == 302
