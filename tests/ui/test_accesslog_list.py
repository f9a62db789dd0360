import datetime
import re

from django.urls import reverse
from django.utils import timezone

from fangkong.core.models import AccessLog
from tests import factories
from tests.ui.queries import queries_for

URL = reverse("core:accesslog_list")


def _ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', response.content.decode())]


def test_it_lists_the_entries_of_the_scope(client_for, users, tree):
    mine = factories.access_log(users.village, tree.grid)
    other = factories.access_log(users.other_town, tree.other_village)
    assert _ids(client_for(users.command).get(URL)) == [other.pk, mine.pk]
    assert _ids(client_for(users.town).get(URL)) == [mine.pk]
    assert _ids(client_for(users.outsider).get(URL)) == []


def test_it_shows_who_what_when_and_from_where(client_for, users, tree):
    factories.access_log(users.village, tree.grid, target_label="李四")
    body = client_for(users.command).get(URL).content.decode()
    row = body[body.index("<tr data-id=") :]
    assert "village" in row and "李四" in row and "10.0.0.1" in row and "pytest" in row
    assert 'data-action="reveal"' in row


def test_it_is_hidden_from_roles_without_the_permission(client_for, client, users):
    for who in ("village", "grid", "norole"):
        assert client_for(getattr(users, who)).get(URL).status_code == 404, who
    client.logout()
    assert client.get(URL).status_code == 302


def test_it_filters_by_action_user_area_and_date(client_for, users, tree):
    reveal = factories.access_log(users.village, tree.grid)
    export = factories.access_log(users.town, tree.village2, action="export", row_count=10)
    client = client_for(users.command)
    assert _ids(client.get(URL, {"action": "export"})) == [export.pk]
    assert _ids(client.get(URL, {"user": "village"})) == [reveal.pk]
    assert _ids(client.get(URL, {"area": tree.village2.code})) == [export.pk]
    today = timezone.localdate()
    AccessLog.objects.filter(pk=reveal.pk).update(at=timezone.now() - datetime.timedelta(days=3))
    assert _ids(client.get(URL, {"date_from": today.isoformat()})) == [export.pk]
    earlier = (today - datetime.timedelta(days=2)).isoformat()
    assert _ids(client.get(URL, {"date_to": earlier})) == [reveal.pk]


def test_it_refuses_filters_outside_the_scope(client_for, users, tree):
    factories.access_log(users.village, tree.grid)
    factories.access_log(users.other_town, tree.other_village)
    response = client_for(users.town).get(URL, {"area": tree.other_village.code})
    assert response.context["form"].errors["area"]
    assert _ids(response) == []
    response = client_for(users.town).get(URL, {"date_from": "2020-02-10", "date_to": "2020-02-01"})
    assert response.context["form"].errors["date_to"]


def test_it_links_the_export_with_the_filters(client_for, users, tree):
    factories.access_log(users.village, tree.grid)
    body = client_for(users.command).get(URL, {"action": "reveal", "page": "1"}).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="export"', body).group(1)
    assert link == reverse("transfer:export", args=["accesslog"]) + "?action=reveal"


def test_it_pages_and_costs_the_same_for_5_or_50_rows(
    client_for, users, tree, settings, django_assert_max_num_queries
):
    settings.FANGKONG_PAGE_SIZE = 20
    client = client_for(users.command)
    for _ in range(5):
        factories.access_log(users.village, tree.grid)
    few = queries_for(client, URL)
    for _ in range(45):
        factories.access_log(users.village, tree.grid)
    with django_assert_max_num_queries(10):
        many = queries_for(client, URL)
    assert few == many
    assert len(_ids(client.get(URL, {"page": 3}))) == 10
