from fangkong.people.models import Household
from tests import factories
from tests.api.conftest import assert_error, snapshot

LIST = "/api/v1/households/"


def detail(household):
    return f"/api/v1/households/{household.pk}/"


def heads(response):
    return sorted(row["head_name"] for row in response.json()["results"])


def test_it_requires_authentication(api, people):
    for response in (api.get(LIST), api.get(detail(people.home)), api.post(LIST, {})):
        assert_error(response, 401, "not_authenticated")


def test_it_lists_only_the_scope(api_for, users, people):
    assert heads(api_for(users.town).get(LIST)) == ["张三", "李四"]
    assert heads(api_for(users.grid).get(LIST)) == ["张三"]
    assert heads(api_for(users.other_town).get(LIST)) == []
    assert heads(api_for(users.outsider).get(LIST)) == ["周八"]
    assert_error(api_for(users.norole).get(LIST), 404, "not_found")


def test_it_filters_by_head_address_and_area(api_for, users, people, tree):
    client = api_for(users.town)
    assert heads(client.get(LIST, {"q": "李"})) == ["李四"]
    assert heads(client.get(LIST, {"q": "太公社区"})) == ["张三"]
    assert heads(client.get(LIST, {"area": tree.village2.code})) == ["李四"]
    body = assert_error(client.get(LIST, {"area": "abc"}), 400, "invalid")
    assert list(body["extra"]["fields"]) == ["area"]


def test_it_shows_members_in_scope_only(api_for, users, people, tree):
    # A member registered in the other grid of the same village.
    factories.person(tree.grid2, "张小三", household=people.home)
    town = api_for(users.town).get(detail(people.home)).json()
    assert [m["name"] for m in town["members"]] == ["张三", "王芳", "张小三"]
    grid = api_for(users.grid).get(detail(people.home)).json()
    assert grid["members"] == [
        {"id": people.zhang.pk, "name": "张三"},
        {"id": people.zhang_wife.pk, "name": "王芳"},
    ]
    assert grid["area"] == tree.grid.code and grid["area_name"] == "太公社区第1网格"


def test_it_answers_404_outside_scope_or_role(api_for, users, people):
    for who in ("outsider", "other_town", "norole"):
        assert_error(api_for(getattr(users, who)).get(detail(people.home)), 404, "not_found")
    # The grid worker sees its own grid's household, not the one of the other village.
    assert_error(api_for(users.grid).get(detail(people.home2)), 404, "not_found")


def test_it_creates_a_household_through_the_service(api_for, users, tree):
    response = api_for(users.village).post(
        LIST, {"area": tree.village.code, "address": " 太公社区9号 ", "head_name": "新户主"}
    )
    assert response.status_code == 201, response.json()
    household = Household.objects.get(pk=response.json()["id"])
    assert household.address == "太公社区9号"
    assert household.area == tree.village
    assert household.history.count() == 1


def test_it_validates_a_new_household(api_for, users):
    cases = [
        ({"address": "x", "head_name": "甲"}, "area"),
        ({"area": "370305003001", "head_name": "甲"}, "address"),
        ({"area": "370305003001", "address": "x"}, "head_name"),
        ({"area": "370305003", "address": "x", "head_name": "甲"}, "area"),  # a town
        ({"area": "370305001001", "address": "x", "head_name": "甲"}, "area"),  # out of scope
        ({"area": "370305003001", "address": "x", "head_name": "甲" * 51}, "head_name"),
    ]
    client = api_for(users.town)
    before = snapshot()
    for payload, field in cases:
        body = assert_error(client.post(LIST, payload), 400, "invalid")
        assert list(body["extra"]["fields"]) == [field], payload
    assert snapshot() == before


def test_it_denies_creation_and_changes_nothing(api_for, users, tree):
    payload = {"area": tree.village.code, "address": "x", "head_name": "甲"}
    before = snapshot()
    for who in ("outsider", "norole", "command"):
        assert_error(api_for(getattr(users, who)).post(LIST, payload), 404, "not_found")
    body = assert_error(api_for(users.other_town).post(LIST, payload), 400, "invalid")
    assert list(body["extra"]["fields"]) == ["area"]
    assert snapshot() == before


def test_it_updates_a_household(api_for, users, people, tree):
    client = api_for(users.town)
    response = client.patch(detail(people.home), {"note": "独居老人"})
    assert response.status_code == 200, response.json()
    home = Household.objects.get(pk=people.home.pk)
    assert (home.note, home.address, home.head_name) == ("独居老人", "太公社区1号", "张三")
    response = client.put(
        detail(people.home), {"area": tree.village.code, "address": "新址", "head_name": "张三"}
    )
    assert response.status_code == 200, response.json()
    home.refresh_from_db()
    assert (home.area, home.address, home.note) == (tree.village, "新址", "独居老人")


def test_it_denies_changes_and_changes_nothing(api_for, users, people, tree):
    payload = {"area": tree.village.code, "address": "x", "head_name": "改"}
    before = snapshot()
    for who in ("outsider", "other_town", "norole", "command"):
        client = api_for(getattr(users, who))
        assert_error(client.put(detail(people.home), payload), 404, "not_found")
        assert_error(client.patch(detail(people.home), payload), 404, "not_found")
    # grid may edit households, but not the one in the other village.
    client = api_for(users.grid)
    assert_error(client.patch(detail(people.home2), {"note": "x"}), 404, "not_found")
    assert snapshot() == before


def test_it_does_not_delete(api_for, users, people):
    before = snapshot()
    assert_error(api_for(users.town).delete(detail(people.home)), 405, "method_not_allowed")
    assert snapshot() == before


def test_it_keeps_the_query_count_flat(api_for, users, tree, django_assert_max_num_queries):
    client = api_for(users.town)
    for i in range(5):
        factories.household(tree.grid, f"户{i}")
    with django_assert_max_num_queries(5):
        assert len(client.get(LIST).json()["results"]) == 5
    for i in range(45):
        factories.household(tree.village2, f"户{i}")
    with django_assert_max_num_queries(5):
        assert len(client.get(LIST).json()["results"]) == 50


def test_it_shows_a_household_in_a_fixed_number_of_queries(
    api_for, users, tree, django_assert_max_num_queries
):
    home = factories.household(tree.grid, "多口之家")
    for i in range(20):
        factories.person(tree.grid, f"成员{i}", household=home)
    client = api_for(users.town)
    with django_assert_max_num_queries(6):
        assert len(client.get(detail(home)).json()["members"]) == 20
