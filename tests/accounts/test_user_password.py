from django.urls import reverse


def url(user):
    return reverse("accounts:user_password", args=[user.pk])


def test_it_sets_a_new_password(client_for, users):
    data = {"password1": "New-strong-2020", "password2": "New-strong-2020"}
    assert client_for(users.town).post(url(users.grid), data).status_code == 302
    users.grid.refresh_from_db()
    assert users.grid.check_password("New-strong-2020")


def test_it_refuses_weak_or_differing_passwords(client_for, users):
    client = client_for(users.town)
    for data in (
        {"password1": "12345678", "password2": "12345678"},
        {"password1": "New-strong-2020", "password2": "New-strong-2021"},
        {"password1": "", "password2": ""},
    ):
        assert client.post(url(users.grid), data).status_code == 400, data
    users.grid.refresh_from_db()
    assert users.grid.check_password("Fk-test-2020!")


def test_it_answers_404_outside_the_scope_or_without_the_permission(client_for, users):
    data = {"password1": "New-strong-2020", "password2": "New-strong-2020"}
    assert client_for(users.town).post(url(users.other_town), data).status_code == 404
    assert client_for(users.village).post(url(users.grid), data).status_code == 404
    assert client_for(users.norole).get(url(users.grid)).status_code == 404
    users.other_town.refresh_from_db()
    assert users.other_town.check_password("Fk-test-2020!")
