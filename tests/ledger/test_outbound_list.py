"""The outbound 协查 list: scoped, mark sent, exported."""

import re

from django.urls import reverse

from fangkong.ledger.models import Outbound
from tests.ledger import helpers
from tests.ui.queries import queries_for

URL = reverse("ledger:outbound_list")


def sent_url(row):
    return reverse("ledger:outbound_sent", args=[row.pk])


def test_it_lists_the_scope_and_marks_sent_once(client_for, users, tree):
    mine = helpers.outbound(tree.town, "甲")
    helpers.outbound(tree.far_village, "乙")
    client = client_for(users.command)
    body = client.get(URL).content.decode()
    assert re.findall(r'<tr data-id="(\d+)"', body) == [str(mine.pk)]
    assert client.post(sent_url(mine)).status_code == 302
    mine.refresh_from_db()
    assert mine.sent_at is not None and mine.sent_by == users.command
    first = mine.sent_at
    client.post(sent_url(mine))
    mine.refresh_from_db()
    assert mine.sent_at == first
    body = client.get(URL, {"sent": "no"}).content.decode()
    assert re.findall(r'<tr data-id="(\d+)"', body) == []


def test_permission_matrix(client_for, users, tree):
    row = helpers.outbound(tree.town)
    for who in ("norole", "village", "grid"):
        assert client_for(getattr(users, who)).get(URL).status_code == 404, who
    for who in ("outsider", "other_town", "norole", "village"):
        assert client_for(getattr(users, who)).post(sent_url(row)).status_code == 404, who
    assert Outbound.objects.get(pk=row.pk).sent_at is None
    assert client_for(users.town).get(URL).status_code == 200


def test_the_list_costs_the_same_for_few_or_many(client_for, users, tree):
    client = client_for(users.command)
    helpers.outbound(tree.town)
    few = queries_for(client, URL)
    for n in range(10):
        helpers.outbound(tree.town, f"人{n}")
    assert queries_for(client, URL) == few
