from django.urls import reverse


def test_it_logs_out_on_post_only(client_for, users):
    client = client_for(users.town)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302
