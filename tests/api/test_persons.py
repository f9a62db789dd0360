import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.people.models import Person
from fangkong.people.services import person_reveal_value
from tests import factories
from tests.api.conftest import assert_error, snapshot

LIST = "/api/v1/persons/"


def detail(person):
    return f"/api/v1/persons/{person.pk}/"


def names(response):
    return sorted(row["name"] for row in response.json()["results"])


# -- reading ----------------------------------------------------------------------------


def test_it_requires_authentication(api, people):
    for response in (api.get(LIST), api.get(detail(people.zhang)), api.post(LIST, {})):
        body = assert_error(response, 401, "not_authenticated")
        assert body["extra"] == {"code": "not_authenticated"}
        assert response["WWW-Authenticate"] == "Token"


def test_it_lists_only_the_scope(api_for, users, people):
    assert names(api_for(users.town).get(LIST)) == ["张三", "李四", "王芳", "赵强"]
    assert names(api_for(users.command).get(LIST)) == ["孙七", "张三", "李四", "王芳", "赵强"]
    assert names(api_for(users.grid).get(LIST)) == ["张三", "王芳"]
    assert names(api_for(users.other_town).get(LIST)) == ["孙七"]
    assert names(api_for(users.outsider).get(LIST)) == ["周八"]


def test_it_hides_the_list_from_a_user_without_a_role(api_for, users, people):
    assert_error(api_for(users.norole).get(LIST), 404, "not_found")


def test_it_answers_404_outside_scope_or_role(api_for, users, people):
    # grid is in the right town but another grid; norole has the scope but no role.
    for who in ("outsider", "other_town", "norole", "grid"):
        response = api_for(getattr(users, who)).get(detail(people.grid2))
        assert_error(response, 404, "not_found")


def test_it_shows_a_person_masked_with_derived_fields(api_for, users, people):
    body = api_for(users.grid).get(detail(people.zhang)).json()
    id_number = person_reveal_value(people.zhang, "id_number")
    phone = person_reveal_value(people.zhang, "phone")
    assert body["id_number_masked"] == id_number[:4] + "*" * 10 + id_number[-4:]
    assert body["phone_masked"] == phone[:3] + "****" + phone[-4:]
    assert id_number not in str(body) and phone not in str(body)
    assert not any("encrypted" in key or "hash" in key for key in body)
    assert body["sex"] == people.zhang.sex
    assert body["birth_date"] == people.zhang.birth_date.isoformat()
    assert body["native_region"] == "370305"
    assert body["native_region_name"] == "山东省淄博市临淄区"
    assert body["area"] == "370305003001001"
    assert body["area_name"] == "太公社区第1网格"
    assert body["household"] == people.home.pk


def test_it_finds_a_person_by_full_id_number_and_phone(api_for, users, people):
    client = api_for(users.town)
    id_number = person_reveal_value(people.zhang, "id_number")
    phone = person_reveal_value(people.zhang, "phone")
    assert names(client.get(LIST, {"q": id_number})) == ["张三"]
    assert names(client.get(LIST, {"q": id_number.lower()})) == ["张三"]
    assert names(client.get(LIST, {"q": phone})) == ["张三"]
    assert names(client.get(LIST, {"q": id_number[:10]})) == []  # no partial ID search


def test_it_does_not_find_a_person_outside_scope_by_id_number(api_for, users, people):
    id_number = person_reveal_value(people.other, "id_number")
    assert names(api_for(users.town).get(LIST, {"q": id_number})) == []


def test_it_searches_by_name_and_pinyin(api_for, users, people):
    client = api_for(users.town)
    assert names(client.get(LIST, {"q": "zs"})) == ["张三"]
    assert names(client.get(LIST, {"q": "zhao"})) == ["赵强"]
    assert names(client.get(LIST, {"q": "李"})) == ["李四"]


def test_it_filters_like_the_selector(api_for, users, people, tree):
    client = api_for(users.town)
    assert names(client.get(LIST, {"area": tree.village2.code})) == ["李四"]
    assert names(client.get(LIST, {"household": people.home.pk})) == ["张三", "王芳"]
    female = [
        p.name for p in (people.zhang, people.zhang_wife, people.grid2, people.li) if p.sex == "F"
    ]
    assert names(client.get(LIST, {"sex": "F"})) == sorted(female)
    factories.person(
        tree.grid, "老人", id_number=factories.id_number(birth=datetime.date(1940, 5, 1))
    )
    assert "老人" in names(client.get(LIST, {"age_min": 80}))
    assert "老人" not in names(client.get(LIST, {"age_max": 60}))


def test_it_rejects_bad_filters_in_the_error_shape(api_for, users, people):
    client = api_for(users.town)
    cases = {"age_min": "-1", "age_max": "old", "sex": "X", "area": "37x", "household": "0"}
    for name, value in cases.items():
        body = assert_error(client.get(LIST, {name: value}), 400, "invalid")
        assert list(body["extra"]["fields"]) == [name]


def test_it_keeps_the_query_count_flat(api_for, users, tree, django_assert_max_num_queries):
    client = api_for(users.town)
    for i in range(5):
        factories.person(tree.grid, f"人{i}")
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(LIST).json()["results"]) == 5
    for i in range(45):
        factories.person(tree.grid2, f"人{i}")
    with django_assert_max_num_queries(5), CaptureQueriesContext(connection) as fifty:
        assert len(client.get(LIST).json()["results"]) == 50
    assert len(fifty) == len(five)
    # One row more: a capped COUNT is the only extra query.
    factories.person(tree.grid2, "再一人")
    with django_assert_max_num_queries(len(fifty) + 1):
        body = client.get(LIST).json()
    assert body["count"] == 51 and body["next"]


# -- creating ---------------------------------------------------------------------------


def test_it_creates_a_person_through_the_service(api_for, users, people, tree):
    id_number = factories.id_number(region="370302")
    response = api_for(users.grid).post(
        LIST,
        {
            "area": tree.grid.code,
            "name": " 新人 ",
            "id_number": id_number,
            "phone": "139 0533 0000",
            "household": people.home.pk,
            "occupation": "教师",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.name == "新人"
    assert person.created_by == users.grid
    assert person_reveal_value(person, "id_number") == id_number
    assert person_reveal_value(person, "phone") == "13905330000"
    assert body["native_region_name"] == "山东省淄博市淄川区"
    assert body["household"] == people.home.pk
    assert "id_number" not in body and "phone" not in body


def test_it_reports_a_bad_checksum_on_the_id_number_field(api_for, users, tree):
    good = factories.id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = snapshot()
    body = assert_error(
        api_for(users.town).post(LIST, {"area": tree.grid.code, "name": "甲", "id_number": bad}),
        400,
        "invalid",
    )
    assert list(body["extra"]["fields"]) == ["id_number"]
    assert snapshot() == before


def test_it_validates_a_new_person(api_for, users, tree):
    cases = [
        ({"name": "甲"}, "area"),
        ({"area": "370305003001001"}, "name"),
        ({"area": "370305003", "name": "甲"}, "area"),  # a town, not a village or grid
        ({"area": "370305001001", "name": "甲"}, "area"),  # outside the scope
        ({"area": "370305003001001", "name": "甲", "phone": "12345"}, "phone"),
        ({"area": "370305003001001", "name": "甲", "sex": "X"}, "sex"),
        ({"area": "370305003001001", "name": "甲", "birth_date": "1990-13-01"}, "birth_date"),
        ({"area": "370305003001001", "name": "甲" * 51}, "name"),
    ]
    client = api_for(users.town)
    before = snapshot()
    for payload, field in cases:
        body = assert_error(client.post(LIST, payload), 400, "invalid")
        assert list(body["extra"]["fields"]) == [field], payload
        assert all(isinstance(m, str) for m in body["extra"]["fields"][field])
    assert snapshot() == before


def test_it_refuses_a_household_outside_scope_or_village(api_for, users, people, tree):
    client = api_for(users.town)
    before = snapshot()
    # In scope but in another village: the service's rule.
    body = assert_error(
        client.post(LIST, {"area": tree.grid.code, "name": "甲", "household": people.home2.pk}),
        400,
        "invalid",
    )
    assert list(body["extra"]["fields"]) == ["household"]
    # Outside the scope: reads as a household that does not exist.
    body = assert_error(
        client.post(LIST, {"area": tree.grid.code, "name": "甲", "household": people.far_home.pk}),
        400,
        "invalid",
    )
    assert list(body["extra"]["fields"]) == ["household"]
    assert snapshot() == before


def test_it_refuses_a_duplicate_id_number(api_for, users, people, tree):
    id_number = person_reveal_value(people.other, "id_number")  # registered in another town
    before = snapshot()
    body = assert_error(
        api_for(users.town).post(
            LIST, {"area": tree.grid.code, "name": "甲", "id_number": id_number}
        ),
        400,
        "invalid",
    )
    assert list(body["extra"]["fields"]) == ["id_number"]
    assert snapshot() == before


def test_it_denies_creation_and_changes_nothing(api_for, users, tree):
    payload = {"area": tree.grid.code, "name": "甲", "id_number": factories.id_number()}
    before = snapshot()
    for who in ("outsider", "norole", "command"):
        assert_error(api_for(getattr(users, who)).post(LIST, payload), 404, "not_found")
    # other_town may create persons, but not here: the area is not one it can name.
    body = assert_error(api_for(users.other_town).post(LIST, payload), 400, "invalid")
    assert list(body["extra"]["fields"]) == ["area"]
    assert snapshot() == before


# -- changing ---------------------------------------------------------------------------


def test_it_patches_some_fields_and_keeps_the_identifiers(api_for, users, people):
    id_number = person_reveal_value(people.zhang, "id_number")
    response = api_for(users.grid).patch(detail(people.zhang), {"occupation": "司机"})
    assert response.status_code == 200, response.json()
    person = Person.objects.get(pk=people.zhang.pk)
    assert person.occupation == "司机"
    assert person.name == "张三"
    assert person.household == people.home
    assert person_reveal_value(person, "id_number") == id_number
    assert person.history.count() == 2


def test_it_puts_a_new_id_number_and_rederives(api_for, users, people, tree):
    new = factories.id_number(region="110101", birth=datetime.date(1990, 6, 1), seq=2)
    response = api_for(users.town).put(
        detail(people.zhang),
        {"area": tree.grid2.code, "name": "张三丰", "id_number": new, "phone": ""},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["birth_date"] == "1990-06-01"
    assert body["sex"] == "F"
    assert body["native_region_name"] == "北京市东城区"
    assert body["area"] == tree.grid2.code
    assert body["phone_masked"] == ""
    assert body["household"] == people.home.pk  # omitted: kept


def test_it_requires_name_and_area_on_put(api_for, users, people):
    before = snapshot()
    body = assert_error(
        api_for(users.town).put(detail(people.zhang), {"occupation": "x"}), 400, "invalid"
    )
    assert set(body["extra"]["fields"]) == {"area", "name"}
    assert snapshot() == before


def test_it_refuses_moving_a_person_out_of_scope(api_for, users, people, tree):
    before = snapshot()
    body = assert_error(
        api_for(users.grid).patch(detail(people.zhang), {"area": tree.grid2.code}),
        400,
        "invalid",
    )
    assert list(body["extra"]["fields"]) == ["area"]
    assert snapshot() == before


def test_it_denies_changes_and_changes_nothing(api_for, users, people, tree):
    before = snapshot()
    payload = {"area": tree.grid2.code, "name": "改名"}
    # grid may edit, but 赵强 lives in another grid; command may only read.
    for who in ("outsider", "other_town", "norole", "command", "grid"):
        client = api_for(getattr(users, who))
        assert_error(client.put(detail(people.grid2), payload), 404, "not_found")
        assert_error(client.patch(detail(people.grid2), payload), 404, "not_found")
    assert snapshot() == before


def test_it_does_not_delete(api_for, users, people):
    before = snapshot()
    body = assert_error(api_for(users.town).delete(detail(people.zhang)), 405, "method_not_allowed")
    assert "DELETE" not in body["extra"]["allowed"]
    # Without the role the same request learns nothing, not even the allowed methods.
    assert_error(api_for(users.norole).delete(detail(people.zhang)), 404, "not_found")
    assert snapshot() == before
