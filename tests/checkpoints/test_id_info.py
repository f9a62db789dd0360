import pytest
from django.urls import reverse

from fangkong.people.services import person_reveal_value
from tests import factories

URL = reverse("checkpoints:id_info")


def test_it_tells_what_the_number_says_and_recognises_a_resident(client_for, tree, staff):
    known = factories.person(tree.grid, "王五")
    client = client_for(staff)
    html = client.get(URL, {"o0-id_number": person_reveal_value(known, "id_number")}).content
    html = html.decode()
    assert 'data-known-name="王五"' in html and "data-id-ok" in html
    assert known.phone_masked in html
    stranger = client.get(URL, {"o3-id_number": factories.id_number("420106")}).content.decode()
    assert "data-id-ok" in stranger and "湖北省武汉市武昌区" in stranger
    assert "data-known-name" not in stranger


def test_it_says_what_is_wrong_with_a_number(client_for, staff):
    client = client_for(staff)
    number = factories.id_number("420106")
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert "data-id-error" in client.get(URL, {"o0-id_number": bad}).content.decode()
    partial = client.get(URL, {"o0-id_number": number[:10]}).content.decode()
    assert "data-id-error" not in partial and "10" in partial


@pytest.mark.parametrize("who", ["norole", "grid", "command"])
def test_it_is_for_registering_staff_only(client_for, users, who):
    response = client_for(getattr(users, who)).get(URL, {"id_number": factories.id_number()})
    assert response.status_code == 404
