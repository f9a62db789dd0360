from tests import factories
from tests.api.conftest import assert_error

LIST = "/api/v1/areas/"


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_it_requires_authentication(api, tree):
    assert_error(api.get(LIST), 401, "not_authenticated")
    assert_error(api.get(f"{LIST}{tree.town.code}/"), 401, "not_authenticated")


def test_it_lists_the_users_subtree_only(api_for, users, tree):
    assert codes(api_for(users.town).get(LIST)) == [
        "370305003",
        "370305003001",
        "370305003001001",
        "370305003001002",
        "370305003002",
        "370305003002001",
    ]
    assert codes(api_for(users.grid).get(LIST)) == ["370305003001001"]
    assert "370305003" not in codes(api_for(users.other_town).get(LIST))
    assert codes(api_for(users.outsider).get(LIST)) == ["370302", "370302001", "370302001001"]


def test_it_describes_an_area(api_for, users, tree):
    body = api_for(users.town).get(f"{LIST}{tree.village.code}/").json()
    assert body == {
        "code": "370305003001",
        "name": "太公社区居民委员会",
        "level": 5,
        "level_display": body["level_display"],
        "parent": "370305003",
        "statistics_code": "370305003001",
    }


def test_it_searches_by_name_pinyin_initials_and_code(api_for, users, tree):
    cases = [
        ("xd", ["370305003"]),
        ("XD", ["370305003"]),
        ("xindian", ["370305003"]),
        ("辛店", ["370305003"]),
        ("tg", ["370305003001", "370305003001001", "370305003001002"]),
        ("第2网格", ["370305003001002"]),
        ("370305003002", ["370305003002", "370305003002001"]),
        ("ws", []),  # 闻韶街道 is outside the scope
        ("zz", []),
    ]
    client = api_for(users.town)
    for q, expected in cases:
        assert codes(client.get(LIST, {"q": q})) == expected, q
    everything = codes(client.get(LIST))
    assert codes(client.get(LIST, {"q": " "})) == everything
    assert codes(client.get(LIST, {"q": "", "parent": "", "level": ""})) == everything


def test_it_filters_by_parent_and_level(api_for, users, tree):
    client = api_for(users.command)
    assert codes(client.get(LIST, {"parent": tree.town.code})) == ["370305003001", "370305003002"]
    assert codes(client.get(LIST, {"level": 4})) == ["370305001", "370305003"]
    assert codes(client.get(LIST, {"level": 6, "parent": tree.village.code})) == [
        "370305003001001",
        "370305003001002",
    ]


def test_it_rejects_bad_filters(api_for, users, tree):
    client = api_for(users.town)
    for name, value in (("level", "9"), ("parent", "37x"), ("q", "x" * 51)):
        body = assert_error(client.get(LIST, {name: value}), 400, "invalid")
        assert list(body["extra"]["fields"]) == [name]


def test_it_lists_children(api_for, users, tree):
    client = api_for(users.town)
    assert codes(client.get(f"{LIST}{tree.town.code}/children/")) == [
        "370305003001",
        "370305003002",
    ]
    assert codes(client.get(f"{LIST}{tree.grid.code}/children/")) == []


def test_it_answers_404_outside_scope_or_role(api_for, users, tree):
    for who in ("other_town", "outsider", "norole", "grid"):
        client = api_for(getattr(users, who))
        assert_error(client.get(f"{LIST}{tree.village2.code}/"), 404, "not_found")
        assert_error(client.get(f"{LIST}{tree.village2.code}/children/"), 404, "not_found")


def test_it_hides_the_ancestors_of_the_scope(api_for, users, tree):
    client = api_for(users.town)
    assert_error(client.get(f"{LIST}{tree.county.code}/"), 404, "not_found")
    assert_error(client.get(f"{LIST}{tree.county.code}/children/"), 404, "not_found")


def test_it_hides_everything_from_a_user_without_a_role(api_for, users, tree):
    assert_error(api_for(users.norole).get(LIST), 404, "not_found")


def test_it_is_read_only(api_for, users, tree):
    client = api_for(users.town)
    assert_error(client.post(LIST, {"code": "370305003003"}), 405, "method_not_allowed")
    assert_error(client.delete(f"{LIST}{tree.village.code}/"), 405, "method_not_allowed")
    assert_error(api_for(users.norole).post(LIST, {}), 404, "not_found")


def test_it_keeps_the_query_count_flat(api_for, users, tree, django_assert_max_num_queries):
    client = api_for(users.village)
    with django_assert_max_num_queries(5):
        assert len(codes(client.get(LIST))) == 3
    for i in range(3, 50):
        factories.area(f"{tree.village.code}{i:03d}", f"太公社区第{i}网格", 6, tree.village)
    with django_assert_max_num_queries(5):
        assert len(codes(client.get(LIST))) == 50
