import pytest
from django.urls import reverse

from fangkong.checkpoints import services
from tests.checkpoints.conftest import register

URL = reverse("checkpoints:checkpoint_list")


def make(tree, n, area=None):
    return [
        services.checkpoint_create(
            actor=None, area=area or tree.village, name=f"卡口{i}", level=3, kind="road"
        )
        for i in range(n)
    ]


def test_it_lists_the_checkpoints_of_the_scope(client_for, users, tree, checkpoint):
    far = services.checkpoint_create(
        actor=None, area=tree.other_town, name="闻韶卡口", level=2, kind="road"
    )
    html = client_for(users.town).get(URL).content.decode()
    assert checkpoint.name in html and far.name not in html
    assert far.name in client_for(users.command).get(URL).content.decode()


def test_it_shows_checkpoint_staff_only_their_checkpoints(client_for, tree, staff, checkpoint):
    other = make(tree, 1)[0]
    html = client_for(staff).get(URL).content.decode()
    assert checkpoint.name in html and other.name not in html


@pytest.mark.parametrize("who", ["norole", "grid"])
def test_it_hides_the_list_from_users_without_the_role(client_for, users, who):
    assert client_for(getattr(users, who)).get(URL).status_code == 404


def test_it_filters_by_state(client_for, users, tree, checkpoint):
    closed = make(tree, 1)[0]
    closed.is_open = False
    closed.save()
    html = client_for(users.town).get(URL, {"state": "closed"}).content.decode()
    assert closed.name in html and checkpoint.name not in html


def test_it_costs_the_same_for_many_checkpoints(
    client_for, users, tree, django_assert_max_num_queries
):
    client = client_for(users.town)
    make(tree, 3)
    client.get(URL)
    with django_assert_max_num_queries(9):
        client.get(URL)
    make(tree, 30)
    with django_assert_max_num_queries(9):
        assert client.get(URL).status_code == 200


def test_it_offers_registration_from_home(client_for, staff, checkpoint):
    register(staff, checkpoint)
    html = client_for(staff).get(reverse("home")).content.decode()
    assert 'data-testid="checkpoint-panel"' in html
    assert reverse("checkpoints:checkpoint_register", args=[checkpoint.pk]) in html
