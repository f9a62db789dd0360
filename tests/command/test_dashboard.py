"""The dashboard page, its data endpoint and /api/v1/stats/: scope, permissions, agreement."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.command.selectors import figures
from tests.command.test_stats_command import _plain, _run

PAGE = reverse("command:dashboard")
DATA = reverse("command:dashboard_data")
API = reverse("api-stats")


@pytest.mark.parametrize("url", [PAGE, DATA, API])
@pytest.mark.parametrize("who", ["village", "grid", "norole"])
def test_it_hides_the_figures_from_roles_without_them(client_for, users, url, who):
    assert client_for(getattr(users, who)).get(url).status_code == 404


@pytest.mark.parametrize("url", [PAGE, DATA])
def test_it_sends_anonymous_callers_to_login(client, tree, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["command", "town", "other_town", "outsider"])
def test_it_shows_each_scope_its_own_figures(client_for, users, scenario, who):
    user = getattr(users, who)
    client = client_for(user)
    assert client.get(PAGE).status_code == 200
    data = client.get(DATA).json()
    assert data["area"]["code"] == user.scope_id
    assert all(t["code"].startswith(user.scope_id) for t in data["by_town"])
    assert client.get(API).json()["area"]["code"] == user.scope_id


@pytest.mark.parametrize("url", [DATA, API])
def test_it_answers_404_for_an_area_outside_the_scope(client_for, users, url):
    client = client_for(users.town)
    for code in ("370305001", "370305", "370302", "99", "abc"):
        assert client.get(url, {"area": code}).status_code == 404, code
    assert client.get(url, {"area": "370305003001"}).status_code == 200


@pytest.mark.parametrize("url", [DATA, API])
def test_it_answers_400_for_bad_days(client_for, users, url):
    client = client_for(users.command)
    for params in ({"date": "2020-02-31"}, {"from": "2020-02-10", "to": "2020-02-01"},
                   {"from": "2018-01-01", "to": "2020-02-01"}):  # fmt: skip
        response = client.get(url, params)
        assert response.status_code == 400, params


def test_it_serves_the_same_figures_on_page_data_api_and_command(client_for, users, scenario):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=6)
    params = {"area": "370305003", "from": start.isoformat(), "to": today.isoformat()}
    client = client_for(users.command)
    endpoint = client.get(DATA, params).json()
    api = client.get(API, params).json()
    printed = json.loads(
        _run(
            "--area", "370305003", "--from", start.isoformat(), "--to", today.isoformat(), "--json"
        )
    )
    expected = _plain(figures(area_code="370305003", date_from=start, date_to=today))
    for found in (endpoint, api, printed):
        found.pop("generated_at")
        assert found == expected


def test_it_renders_the_wall_with_every_panel(client_for, users, scenario):
    body = client_for(users.command).get(PAGE).content.decode()
    for panel in ("chart-trend", "chart-town", "chart-ledger", "chart-checkpoints",
                  "chart-reports", "panel-supplies", "panel-enterprises"):  # fmt: skip
        assert panel in body
    assert "vendor/echarts-5.6.0/echarts.min.js" in body
    assert "//cdn" not in body and "https://" not in body
    assert 'data-refresh="60"' in body


def test_it_offers_a_town_only_its_own_villages(client_for, users):
    body = client_for(users.town).get(PAGE).content.decode()
    assert "太公社区居民委员会" in body and "乙烯社区居民委员会" in body
    assert "闻韶街道" not in body and "临淄区" not in body


def test_it_falls_back_to_the_scope_for_a_foreign_area_on_the_page(client_for, users):
    response = client_for(users.town).get(PAGE, {"area": "370305001"})
    assert response.status_code == 200
    assert 'data-area="370305003"' in response.content.decode()


def test_it_costs_a_constant_number_of_queries(
    client_for, users, scenario, django_assert_max_num_queries
):
    client = client_for(users.command)
    # 32 for the loop and the reports, 5 for supplies, 4 for donations.
    with django_assert_max_num_queries(41):
        client.get(DATA)
