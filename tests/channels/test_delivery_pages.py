"""The delivery log: filters, the retry button, scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.channels.models import Delivery
from tests.channels import helpers
from tests.ui.queries import queries_for


def _delivery(channel, status="sent", title="推送", **fields):
    return Delivery.objects.create(
        channel=channel,
        area_id=channel.area_id,
        kind="push",
        title=title,
        status=status,
        attempts=3 if status == "failed" else 1,
        last_error="HTTP 502" if status == "failed" else "",
        **fields,
    )


@pytest.fixture
def channel(tree):
    return helpers.channel(tree.village)


def test_it_lists_the_log_of_the_scope(client_for, users, channel, tree):
    _delivery(channel, title="太公推送")
    _delivery(helpers.channel(tree.other_town, name="闻韶群"), title="闻韶推送")
    body = client_for(users.town).get(reverse("channels:delivery_list")).content.decode()
    assert "太公推送" in body and "闻韶推送" not in body


def test_it_answers_404_without_the_role(client_for, users, channel):
    url = reverse("channels:delivery_list")
    assert helpers.statuses(client_for, helpers.matrix(users), url) == {
        "outsider": 200,
        "other_town": 200,
        "norole": 404,
        "village": 404,
        "town": 200,
        "command": 200,
    }


def test_it_filters_by_status_channel_and_date(client_for, users, channel, tree):
    other = helpers.channel(tree.village2, name="乙烯群")
    failed = _delivery(channel, "failed", title="失败的")
    sent = _delivery(channel, title="成功的")
    elsewhere = _delivery(other, "failed", title="别的群")
    old = _delivery(channel, "failed", title="上周的")
    Delivery.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(7))
    client = client_for(users.town)
    url = reverse("channels:delivery_list")

    def shown(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {row.pk for row in response.context["page_obj"]}

    today = timezone.localdate().isoformat()
    assert shown() == {failed.pk, sent.pk, elsewhere.pk, old.pk}
    assert shown(status="failed") == {failed.pk, elsewhere.pk, old.pk}
    assert shown(status="failed", channel=channel.pk) == {failed.pk, old.pk}
    assert shown(status="failed", channel=channel.pk, date_from=today) == {failed.pk}
    week_ago = (timezone.localdate() - datetime.timedelta(7)).isoformat()
    assert shown(date_to=week_ago) == {old.pk}
    assert shown(status="bogus") == set()
    assert shown(date_from=today, date_to=week_ago) == set()


def test_it_offers_no_channel_of_another_scope(client_for, users, tree):
    other = helpers.channel(tree.other_town, name="闻韶群")
    _delivery(other)
    response = client_for(users.town).get(reverse("channels:delivery_list"), {"channel": other.pk})
    assert response.status_code == 200 and list(response.context["page_obj"]) == []


def test_its_queries_do_not_grow_with_rows(client_for, users, channel, tree):
    _delivery(channel)
    url = reverse("channels:delivery_list")
    few = queries_for(client_for(users.town), url)
    other = helpers.channel(tree.village2, name="乙烯群")
    for i in range(10):
        _delivery(other if i % 2 else channel, "failed", title=f"第{i}条")
    assert queries_for(client_for(users.town), url) == few


def test_the_retry_button_sends_a_failed_delivery_again(
    client_for, users, tree, robot, django_capture_on_commit_callbacks
):
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    failed = _delivery(channel, "failed")
    url = reverse("channels:delivery_retry", args=[failed.pk])
    body = client_for(users.town).get(reverse("channels:delivery_list")).content.decode()
    assert url in body
    for user in (users.other_town, users.outsider, users.norole, users.village):
        assert client_for(user).post(url).status_code == 404
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("failed", 3)
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(users.town).post(url).status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 1, "")
    assert len(robot.requests) == 1


def test_a_sent_delivery_cannot_be_retried(client_for, users, channel):
    sent = _delivery(channel)
    response = client_for(users.town).post(reverse("channels:delivery_retry", args=[sent.pk]))
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == ("sent", 1)
