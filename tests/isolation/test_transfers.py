import datetime

from django.urls import reverse
from django.utils import timezone

from fangkong.isolation.models import Transfer
from tests.isolation import helpers
from tests.ui.queries import queries_for

LIST = reverse("isolation:transfer_list")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_it_flags_transfers_without_disinfection(client_for, iso, site, tree):
    now = timezone.now()
    clean = helpers.transfer(
        site,
        helpers.key_person(tree.grid),
        arrived_at=now - datetime.timedelta(hours=1),
        disinfected=True,
        disinfected_at=now,
    )
    dirty = helpers.transfer(site, helpers.key_person(tree.grid2, "赵六"), vehicle_plate="鲁C88888")
    body = client_for(iso).get(LIST).content.decode()
    assert f'data-transfer="{dirty.pk}" data-flag="undisinfected"' in body
    assert f'data-transfer="{clean.pk}">' in body
    body = client_for(iso).get(LIST + "?undisinfected=on").content.decode()
    assert f'data-transfer="{clean.pk}"' not in body and f'data-transfer="{dirty.pk}"' in body


def test_the_list_is_scoped_and_needs_the_role(client_for, users, iso, site, tree):
    helpers.transfer(site, helpers.key_person(tree.grid, "钱八"))
    found = helpers.statuses(client_for, helpers.matrix(users, iso), LIST)
    assert found == {
        "outsider": 200,
        "other_town": 200,
        "norole": 404,
        "village": 404,
        "iso": 200,
    }
    assert "钱八" not in client_for(users.other_town).get(LIST).content.decode()


def test_the_list_costs_the_same_for_1_or_6_transfers(client_for, iso, site, tree):
    helpers.transfer(site, helpers.key_person(tree.grid, "甲"), vehicle_plate="鲁C10000")
    few = queries_for(client_for(iso), LIST)
    for n in range(5):
        helpers.transfer(
            site, helpers.key_person(tree.grid, f"乙{n}"), vehicle_plate=f"鲁C1000{n + 1}"
        )
    assert queries_for(client_for(iso), LIST) == few


def test_it_records_a_transfer(client_for, users, iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    url = reverse("isolation:transfer_create")
    data = {
        "key_person": key_person.pk,
        "site": site.pk,
        "pickup_address": "太公社区1号",
        "vehicle_plate": "鲁C12345",
        "driver": "赵师傅",
        "escort": "钱医生",
        "departed_at": _local(timezone.now() - datetime.timedelta(hours=1)),
    }
    for user in (users.town, users.command, users.outsider):
        assert client_for(user).post(url, data).status_code == 404
    assert client_for(iso).post(url, {**data, "vehicle_plate": "C12345"}).status_code == 400
    assert not Transfer.objects.exists()
    response = client_for(iso).post(url, data)
    assert response.status_code == 302
    assert Transfer.objects.get().recorded_by == iso


def test_it_records_arrival_and_disinfection(client_for, users, iso, site, tree):
    transfer = helpers.transfer(site, helpers.key_person(tree.grid))
    url = reverse("isolation:transfer_detail", args=[transfer.pk])
    now = timezone.now()
    data = {"arrived_at": _local(now), "disinfected": "on", "disinfected_at": _local(now)}
    assert client_for(users.town).get(url).status_code == 200
    assert client_for(users.town).post(url, data).status_code == 404
    assert client_for(users.other_town).get(url).status_code == 404
    assert client_for(iso).post(url, {"disinfected": "on"}).status_code == 400
    assert client_for(iso).post(url, data).status_code == 302
    transfer.refresh_from_db()
    assert transfer.disinfected and transfer.arrived_at
