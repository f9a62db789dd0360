import pytest
from django.urls import reverse

from fangkong.checkpoints import services
from fangkong.people.services import person_reveal_value
from tests import factories
from tests.checkpoints.conftest import occupant, register

URL = reverse("checkpoints:registration_list")


def test_it_lists_registrations_masked_and_filters_them(client_for, users, staff, checkpoint):
    register(staff, checkpoint, occupant(name="甲"), occupant(name="乙", temperature="38.0"))
    register(staff, checkpoint, occupant(name="丙"), plate="鲁C99999")
    client = client_for(users.town)
    response = client.get(URL)
    html = response.content.decode()
    assert all(name in html for name in "甲乙丙")
    assert "**********" in html
    fever = client.get(URL, {"outcome": "fever_referral"}).context["page_obj"]
    assert [r.name for r in fever] == ["乙"]
    by_plate = client.get(URL, {"q": "鲁C999"}).context["page_obj"]
    assert [r.name for r in by_plate] == ["丙"]


def test_it_finds_a_person_by_full_id_number(client_for, users, tree, staff, checkpoint):
    known = factories.person(tree.grid, "王五")
    number = person_reveal_value(known, "id_number")
    register(staff, checkpoint, occupant(name="王五", id_number=number), occupant(name="甲"))
    page = client_for(users.town).get(URL, {"q": number}).context["page_obj"]
    assert [r.name for r in page] == ["王五"]


def test_it_shows_checkpoint_staff_only_their_checkpoints(
    client_for, users, tree, staff, checkpoint
):
    other = services.checkpoint_create(
        actor=None, area=tree.town, name="别处", level=2, kind="road"
    )
    register(users.town, other, occupant(name="别处人"))
    register(staff, checkpoint, occupant(name="本处人"))
    html = client_for(staff).get(URL).content.decode()
    assert "本处人" in html and "别处人" not in html


@pytest.mark.parametrize("who", ["outsider", "other_town"])
def test_it_hides_registrations_of_other_scopes(client_for, users, staff, checkpoint, who):
    register(staff, checkpoint, occupant(name="甲乙"))
    assert "甲乙" not in client_for(getattr(users, who)).get(URL).content.decode()


def test_it_is_hidden_without_the_role(client_for, users):
    assert client_for(users.norole).get(URL).status_code == 404
    assert client_for(users.grid).get(URL).status_code == 404


def test_it_costs_the_same_for_many_rows(
    client_for, users, staff, checkpoint, django_assert_max_num_queries
):
    client = client_for(users.town)
    register(staff, checkpoint)
    client.get(URL)
    with django_assert_max_num_queries(10):
        client.get(URL)
    for _ in range(10):
        register(staff, checkpoint, occupant(), occupant(), occupant())
    with django_assert_max_num_queries(10):
        assert len(client.get(URL).context["page_obj"]) == 31
