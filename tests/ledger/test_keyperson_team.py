"""五包一: team members with an account or with a name and phone."""

import re

from django.urls import reverse

from fangkong.ledger.models import KeyPersonEvent, TeamMember
from tests.ledger import helpers


def url(kp):
    return reverse("ledger:keyperson_team", args=[kp.pk])


def test_members_with_an_account_or_name_and_phone(client_for, users, tree):
    kp = helpers.key_person(tree.grid)
    client = client_for(users.village)
    assert client.get(url(kp)).status_code == 200
    assert client.post(url(kp), {"role": "grid_worker", "user": users.grid.pk}).status_code == 302
    response = client.post(url(kp), {"role": "doctor", "name": "孙医生", "phone": "13700001111"})
    assert response.status_code == 302
    members = {m.role: m for m in TeamMember.objects.filter(key_person=kp)}
    assert members["grid_worker"].user == users.grid and members["grid_worker"].name == "grid"
    assert members["doctor"].user is None and members["doctor"].phone == "13700001111"
    # The same role again replaces its holder.
    client.post(url(kp), {"role": "doctor", "name": "钱医生"})
    assert TeamMember.objects.get(key_person=kp, role="doctor").name == "钱医生"
    assert KeyPersonEvent.objects.filter(key_person=kp, kind="team").count() == 3
    body = client.get(reverse("ledger:keyperson_detail", args=[kp.pk])).content.decode()
    assert re.findall(r'data-role="(\w+)"', body) == ["doctor", "grid_worker"]


def test_bad_members_are_refused(client_for, users, tree):
    kp = helpers.key_person(tree.grid)
    client = client_for(users.village)
    assert client.post(url(kp), {"role": "doctor"}).status_code == 400
    assert client.post(url(kp), {"role": "doctor", "name": "x", "phone": "12"}).status_code == 400
    # An account that cannot see the person (another town) is not offered nor accepted.
    response = client.post(url(kp), {"role": "town_cadre", "user": users.other_town.pk})
    assert response.status_code == 400
    assert client.post(url(kp), {"role": "boss", "name": "x"}).status_code == 400
    assert not TeamMember.objects.exists()


def test_a_member_is_removed(client_for, users, tree):
    kp = helpers.key_person(tree.grid)
    client = client_for(users.village)
    client.post(url(kp), {"role": "police", "name": "民警"})
    member = TeamMember.objects.get()
    remove = reverse("ledger:keyperson_team_remove", args=[kp.pk, member.pk])
    for who in ("grid", "other_town", "outsider"):
        assert client_for(getattr(users, who)).post(remove).status_code == 404
    assert TeamMember.objects.exists()
    client = client_for(users.village)
    assert client.post(remove).status_code == 302
    assert not TeamMember.objects.exists()


def test_permission_matrix(client_for, users, tree):
    kp = helpers.key_person(tree.grid)
    for who in ("outsider", "other_town", "norole", "grid", "command"):
        client = client_for(getattr(users, who))
        assert client.get(url(kp)).status_code == 404, who
        assert client.post(url(kp), {"role": "police", "name": "x"}).status_code == 404, who
    assert not TeamMember.objects.exists()
    assert client_for(users.town).get(url(kp)).status_code == 200
