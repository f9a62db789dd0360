import pytest
from django.urls import reverse

from fangkong.checkpoints import services


def test_it_prints_a_qr_code_that_a_new_one_invalidates(client, client_for, users, checkpoint):
    manager = client_for(users.town)
    response = manager.get(reverse("checkpoints:checkpoint_qr", args=[checkpoint.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    token = services.qr_token(checkpoint)
    public = reverse("checkpoints:prefill_start", args=[token])
    assert public in html
    client.logout()
    assert client.get(public).status_code == 200
    manager = client_for(users.town)
    renew = manager.post(reverse("checkpoints:checkpoint_qr_renew", args=[checkpoint.pk]))
    assert renew.status_code == 302
    client.logout()
    assert client.get(public).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "other_town", "village", "norole"])
def test_it_refuses_others(client_for, users, checkpoint, who):
    client = client_for(getattr(users, who))
    assert client.get(reverse("checkpoints:checkpoint_qr", args=[checkpoint.pk])).status_code == 404
    url = reverse("checkpoints:checkpoint_qr_renew", args=[checkpoint.pk])
    assert client.post(url).status_code == 404
    checkpoint.refresh_from_db()
    assert checkpoint.qr_version == 1
