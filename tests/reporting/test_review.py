"""The town's review page: villages × status for a day, return with a comment, accept, and
the town summary."""

import pytest
from django.urls import reverse

from fangkong.reporting.models import DailyReport, TownSummary
from tests.reporting.helpers import statuses, submit, village_user

pytestmark = pytest.mark.django_db


def url(town, day=None):
    return reverse("reporting:review", args=[town.code]) + (f"?date={day}" if day else "")


def test_it_lists_the_towns_villages_and_their_status(
    tree, users, client_for, django_assert_max_num_queries, clock
):
    submit(users.village, tree.village)
    submit(None, tree.other_village)
    for n in range(20):
        from tests import factories

        factories.area(f"370305003{100 + n}", f"测试村{n}", 5, tree.town)
    client = client_for(users.town)
    with django_assert_max_num_queries(16):
        page = client.get(url(tree.town))
    body = page.content.decode()
    assert page.status_code == 200
    assert (
        f'data-unit="{tree.village.code}"' in body and f'data-unit="{tree.village2.code}"' in body
    )
    assert tree.other_village.code not in body
    # 10:00, before the 16:00 deadline: a village without a report has not reported yet.
    assert 'data-status="submitted"' in body and 'data-status="due"' in body
    assert 'data-status="missing"' not in body
    clock.set(16, 1)
    body = client.get(url(tree.town)).content.decode()
    assert 'data-status="missing"' in body and 'data-status="due"' not in body


def test_the_town_returns_and_accepts_from_the_list(tree, users, client_for, clock):
    first = submit(users.village, tree.village)
    second = submit(village_user(tree.village2), tree.village2)
    client = client_for(users.town)
    response = client.post(reverse("reporting:report_return", args=[first.pk]), {"comment": ""})
    assert response.status_code == 400
    first.refresh_from_db()
    assert first.status == DailyReport.Status.SUBMITTED
    response = client.post(
        reverse("reporting:report_return", args=[first.pk]), {"comment": "发热人数有误"}
    )
    assert response.status_code == 302
    response = client.post(reverse("reporting:report_accept", args=[second.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "returned" and first.review_comment == "发热人数有误"
    assert second.status == "accepted"
    # The village sees what to correct on its form.
    page = client_for(users.village).get(reverse("reporting:unit_form", args=[tree.village.code]))
    assert "发热人数有误" in page.content.decode()


def test_the_town_submits_its_summary(tree, users, client_for, clock):
    submit(users.village, tree.village, supplies_used=5)
    client = client_for(users.town)
    summary_url = reverse("reporting:summary", args=[tree.town.code])
    response = client.post(summary_url, {"date": clock.day.isoformat(), "narrative": ""})
    assert response.status_code == 400 and not TownSummary.objects.exists()
    response = client.post(summary_url, {"date": clock.day.isoformat(), "narrative": "全镇平稳"})
    assert response.status_code == 302
    summary = TownSummary.objects.get()
    assert summary.totals["supplies_used"] == 5 and (summary.expected, summary.submitted) == (2, 1)
    assert "全镇平稳" in client.get(url(tree.town)).content.decode()


def test_permission_matrix(tree, users, client_for, clock):
    report = submit(users.village, tree.village)
    who = {
        "outsider": users.outsider,
        "other_town": users.other_town,
        "norole": users.norole,
        "village": users.village,
        "command": users.command,
    }
    assert set(statuses(client_for, who, url(tree.town)).values()) == {404}
    for name, data in (
        ("reporting:report_accept", {}),
        ("reporting:report_return", {"comment": "x"}),
    ):
        found = statuses(client_for, who, reverse(name, args=[report.pk]), "post", data)
        assert set(found.values()) == {404}, name
    found = statuses(
        client_for,
        who,
        reverse("reporting:summary", args=[tree.town.code]),
        "post",
        {"date": clock.day.isoformat(), "narrative": "x"},
    )
    assert set(found.values()) == {404}
    report.refresh_from_db()
    assert report.status == "submitted" and not TownSummary.objects.exists()
    assert client_for(users.town).get(url(tree.town)).status_code == 200
    assert client_for(users.town).get(url(tree.town, "bad")).status_code == 404
