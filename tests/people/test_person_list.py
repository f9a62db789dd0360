import datetime
import re

from django.urls import reverse

from fangkong.core.web import CappedPaginator
from fangkong.people.services import person_reveal_value
from tests import factories
from tests.ui.queries import queries_for

URL = reverse("people:person_list")


def _ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', response.content.decode())]


def test_it_lists_the_persons_of_the_scope(client_for, users, tree):
    inside = factories.person(tree.grid, "王五")
    village2 = factories.person(tree.grid3, "赵六")
    outside = factories.person(tree.other_village, "钱七")
    assert _ids(client_for(users.town).get(URL)) == [inside.pk, village2.pk]
    assert _ids(client_for(users.grid).get(URL)) == [inside.pk]
    assert outside.pk not in _ids(client_for(users.town).get(URL))
    assert _ids(client_for(users.outsider).get(URL)) == []


def test_it_masks_id_numbers_and_phones(client_for, users, tree):
    person = factories.person(tree.grid, phone="13912345678")
    body = client_for(users.town).get(URL).content.decode()
    assert person_reveal_value(person, "id_number") not in body
    assert "13912345678" not in body
    assert person.id_number_masked in body and "139****5678" in body


def test_it_finds_a_person_by_full_id_number_or_phone(client_for, users, tree):
    number = factories.id_number()
    wanted = factories.person(tree.grid, "李四", id_number=number, phone="13700001111")
    factories.person(tree.grid, "李五")
    client = client_for(users.village)
    assert _ids(client.get(URL, {"q": number})) == [wanted.pk]
    assert _ids(client.get(URL, {"q": number.lower()})) == [wanted.pk]
    assert _ids(client.get(URL, {"q": "137 0000 1111"})) == [wanted.pk]
    assert _ids(client.get(URL, {"q": number[:10]})) == []


def test_it_finds_a_person_by_pinyin_and_name(client_for, users, tree):
    zhang = factories.person(tree.grid, "张三")
    li = factories.person(tree.grid, "李四")
    client = client_for(users.village)
    assert _ids(client.get(URL, {"q": "zs"})) == [zhang.pk]
    assert _ids(client.get(URL, {"q": "lisi"})) == [li.pk]
    assert _ids(client.get(URL, {"q": "张"})) == [zhang.pk]


def test_it_filters_by_area_sex_and_age(client_for, users, tree):
    today = datetime.date.today()
    old_man = factories.person(
        tree.grid, id_number=factories.id_number(birth=today.replace(year=today.year - 70), seq=1)
    )
    young_woman = factories.person(
        tree.grid2, id_number=factories.id_number(birth=datetime.date(2010, 5, 5), seq=2)
    )
    other_village = factories.person(tree.grid3)
    client = client_for(users.town)
    assert _ids(client.get(URL, {"area": tree.village2.code})) == [other_village.pk]
    assert _ids(client.get(URL, {"area": tree.grid2.code})) == [young_woman.pk]
    assert _ids(client.get(URL, {"sex": "M", "age_min": 60})) == [old_man.pk]
    assert _ids(client.get(URL, {"sex": "F", "age_max": 20})) == [young_woman.pk]


def test_it_refuses_filters_outside_the_scope(client_for, users, tree):
    factories.person(tree.grid)
    factories.person(tree.other_village)
    response = client_for(users.town).get(URL, {"area": tree.other_village.code})
    assert response.context["form"].errors["area"]
    assert _ids(response) == []
    response = client_for(users.town).get(URL, {"age_min": 50, "age_max": 20})
    assert response.context["form"].errors["age_max"]


def test_it_pages_the_list(client_for, users, tree, settings):
    settings.FANGKONG_PAGE_SIZE = 4
    persons = factories.persons(tree.grid, 6)
    client = client_for(users.village)
    assert _ids(client.get(URL)) == [p.pk for p in persons[:4]]
    response = client.get(URL, {"page": 2, "q": "jumin"})
    assert _ids(response) == [p.pk for p in persons[4:]]
    assert 'data-total="6"' in response.content.decode()


def test_it_caps_the_count(client_for, users, tree, settings, monkeypatch):
    settings.FANGKONG_PAGE_SIZE = 2
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    factories.persons(tree.grid, 5)
    body = client_for(users.village).get(URL).content.decode()
    assert 'data-total="3+"' in body


def test_it_links_export_and_import_by_permission(client_for, users, tree):
    body = client_for(users.town).get(URL, {"sex": "F", "page": 2}).content.decode()
    export = re.search(r'href="([^"]+)" data-testid="export"', body).group(1)
    assert export == reverse("transfer:export", args=["persons"]) + "?sex=F"
    assert 'data-testid="import"' in body
    body = client_for(users.command).get(URL).content.decode()
    assert 'data-testid="export"' in body and 'data-testid="import"' not in body
    body = client_for(users.grid).get(URL).content.decode()
    assert 'data-testid="export"' not in body and 'data-testid="import"' not in body


def test_it_is_hidden_without_the_role(client_for, client, users):
    assert client_for(users.norole).get(URL).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_it_costs_the_same_for_5_or_50_persons(
    client_for, users, tree, django_assert_max_num_queries
):
    client = client_for(users.town)
    household = factories.household(tree.village)
    factories.persons(tree.grid, 5, household=household)
    few = queries_for(client, URL)
    factories.persons(tree.grid3, 45)
    with django_assert_max_num_queries(10):
        many = queries_for(client, URL)
    assert few == many
