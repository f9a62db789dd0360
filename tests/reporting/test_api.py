"""The reporting API: reports of the scope with filters, submit and zero-submit, completeness."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fangkong.reporting.models import DailyReport
from tests.reporting.helpers import submit, yesterday

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_reports_are_listed_within_the_scope_with_filters(
    api_for, users, tree, django_assert_max_num_queries
):
    submit(users.village, tree.village, date=yesterday())
    mine = submit(users.village, tree.village)
    submit(None, tree.other_village)
    client = api_for(users.town)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("api-reporting-report-list"))
    assert response.status_code == 200
    assert {row["area"] for row in response.data["results"]} == {tree.village.code}
    response = client.get(
        reverse("api-reporting-report-list"), {"date_from": mine.date.isoformat()}
    )
    assert [row["id"] for row in response.data["results"]] == [mine.pk]
    response = client.get(reverse("api-reporting-report-list"), {"date_from": "x"})
    assert response.status_code == 400 and "date_from" in response.data["extra"]["fields"]
    other = DailyReport.objects.get(area=tree.other_village)
    detail = client.get(reverse("api-reporting-report-detail", args=[other.pk]))
    assert detail.status_code == 404


def test_submit_and_zero_submit(api_for, users, tree, clock):
    client = api_for(users.village)
    url = reverse("api-reporting-unit-submit", args=[tree.village.code])
    response = client.post(
        url, {"date": clock.day.isoformat(), "supplies_used": 7, "narrative": "好"}, format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["supplies_used"] == 7 and response.data["late"] is False
    again = client.post(url, {"date": clock.day.isoformat()}, format="json")
    assert again.status_code == 400 and "date" in again.data["extra"]["fields"]
    bad = client.post(url, {"date": yesterday().isoformat(), "pushes_received": 2}, format="json")
    assert bad.status_code == 400
    assert "pushes_received_reason" in bad.data["extra"]["fields"]
    zero = client.post(
        reverse("api-reporting-unit-zero", args=[tree.village.code]),
        {"date": yesterday().isoformat()},
        format="json",
    )
    assert zero.status_code == 201 and zero.data["is_zero"] and zero.data["late"]
    assert DailyReport.objects.count() == 2


def test_submit_permission_matrix(api_for, users, tree, clock):
    for who in ("outsider", "other_town", "norole", "town", "command"):
        for name in ("api-reporting-unit-submit", "api-reporting-unit-zero"):
            response = api_for(getattr(users, who)).post(
                reverse(name, args=[tree.village.code]),
                {"date": clock.day.isoformat()},
                format="json",
            )
            assert response.status_code == 404, (who, name)
    response = api_for(users.village).post(
        reverse("api-reporting-unit-zero", args=[tree.village2.code]),
        {"date": clock.day.isoformat()},
        format="json",
    )
    assert response.status_code == 404
    assert not DailyReport.objects.exists()


def test_completeness_endpoint(api_for, users, tree, clock):
    submit(users.village, tree.village)
    response = api_for(users.command).get(
        reverse("api-reporting-completeness"),
        {"date_from": clock.day.isoformat(), "date_to": clock.day.isoformat()},
    )
    assert response.status_code == 200
    assert response.data["expected"] == 3 and response.data["submitted"] == 1
    assert response.data["by_day"] == [
        {"date": clock.day.isoformat(), "expected": 3, "submitted": 1, "on_time": 1}
    ]
    assert {row["code"] for row in response.data["by_child"]} == {
        tree.town.code,
        tree.other_town.code,
    }
    town = api_for(users.town)
    assert town.get(reverse("api-reporting-completeness")).data["area"] == tree.town.code
    assert (
        town.get(reverse("api-reporting-completeness"), {"area": tree.other_town.code}).status_code
        == 404
    )
    assert (
        town.get(
            reverse("api-reporting-completeness"),
            {"date_from": "2020-03-01", "date_to": "2020-02-01"},
        ).status_code
        == 400
    )
    assert api_for(users.norole).get(reverse("api-reporting-completeness")).status_code == 404
